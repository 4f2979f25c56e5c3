// Body bytes into a write queue, as they are or framed as one chunk.
import GatewayCore

extension WriteQueue {
    /// Appends `data`, as one chunk (`HEX\r\n` data `\r\n`) when `chunked`. The size line is
    /// built on the stack: this runs for every piece of every streamed body.
    func appendBody(_ data: UnsafeRawBufferPointer, chunked: Bool) {
        guard chunked else {
            append(data)
            return
        }
        guard !data.isEmpty else { return }  // a zero-size chunk would end the body
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 18) { line in
            var n = data.count
            var digits = 0
            repeat {
                digits += 1
                n >>= 4
            } while n > 0
            n = data.count
            for i in stride(from: digits - 1, through: 0, by: -1) {
                let nibble = UInt8(n & 0xF)
                line[i] = nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
                n >>= 4
            }
            line[digits] = 0x0D
            line[digits + 1] = 0x0A
            append(UnsafeRawBufferPointer(start: line.baseAddress, count: digits + 2))
        }
        append(data)
        append(Self.crlf)
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]
}
