// Body bytes into a write queue, as they are or framed as one chunk.
import GatewayCore
import GatewayHTTP

extension WriteQueue {
    /// Appends `data`, as one chunk (`HEX\r\n` data `\r\n`) when `chunked`. The size line is
    /// built on the stack by GatewayHTTP's one chunk framer: this runs for every piece of every
    /// streamed body.
    func appendBody(_ data: UnsafeRawBufferPointer, chunked: Bool) {
        guard chunked else {
            append(data)
            return
        }
        guard !data.isEmpty else { return }  // a zero-size chunk would end the body
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: HTTPSerializer.maxChunkSizeLine) { line in
            let n = HTTPSerializer.writeChunkSizeLine(data.count, to: line.baseAddress!)
            append(UnsafeRawBufferPointer(start: line.baseAddress, count: n))
        }
        append(data)
        HTTPSerializer.chunkTerminator.withUnsafeBytes { append($0) }
    }
}
