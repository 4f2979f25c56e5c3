// A TLS stream in the terms the gateway's buffers speak: reads into a ReadBuffer, writes out of a
// WriteQueue, and which socket event a blocked call waits for. Client and upstream sides share it.
import GatewayCore
import GatewayTLS
import Glibc

/// Thread-safety: touched only on its connection's loop.
final class TLSChannel {
    let stream: TLSStream
    /// A read that needed the socket writable (a handshake message, a session ticket), or a
    /// write that needed it readable: the other socket event must call the blocked side again.
    var readWantsWrite = false
    var writeWantsRead = false
    /// OpenSSL's reason for the last failure (a handshake or a certificate check), for the log.
    private(set) var failure: String?

    init(_ stream: TLSStream) {
        self.stream = stream
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadBuffer.ReadResult {
        switch stream.read(into: buffer) {
        case .bytes(let n): return .bytes(n)
        case .wantRead: return .wouldBlock
        case .wantWrite:
            readWantsWrite = true
            return .wouldBlock
        case .closed: return .eof
        case .failed(let reason):
            failure = reason
            return .failed(EPROTO)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> WriteQueue.WriteStep {
        switch stream.write(bytes) {
        case .bytes(let n): return .wrote(n)
        case .wantWrite: return .wouldBlock
        case .wantRead:
            writeWantsRead = true
            return .wouldBlock
        case .closed: return .failed(EPIPE)
        case .failed(let reason):
            failure = reason
            return .failed(EPROTO)
        }
    }

    /// Decrypted bytes OpenSSL holds that the socket will not signal again.
    var hasBufferedInput: Bool { stream.hasBufferedInput }

    /// close_notify, once, as far as the socket takes it now: a close never waits for it.
    func sendCloseNotify() {
        guard stream.isHandshakeComplete else { return }
        _ = stream.shutdown()
    }
}

/// One socket's reads and writes, through its TLS channel when it has one: what the client and
/// upstream sides both call.
extension ReadBuffer {
    func read(from fd: Int32, tls: TLSChannel?, maxCapacity: Int) -> ReadResult {
        guard let tls else { return read(from: fd, maxCapacity: maxCapacity) }
        return read(maxCapacity: maxCapacity, using: tls.read(into:))
    }
}

extension WriteQueue {
    func flush(to fd: Int32, tls: TLSChannel?) -> FlushResult {
        guard let tls else { return flush(to: fd) }
        return flush(using: tls.write)
    }
}
