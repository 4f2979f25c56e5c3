// TLS on a client socket of a `listen ... tls`: the first bytes are looked at (a ClientHello, or
// plain HTTP sent to the wrong port), then every read and write goes through the TLS stream.
import GatewayCore
import GatewayTLS
import Glibc

/// Thread-safety: touched only on its connection's loop.
final class ClientTLS {
    enum Probe {
        /// A ClientHello: the stream is set up and reads go through it.
        case tls
        /// Too few bytes to tell: look again at the next tick (peeking does not consume, so
        /// waiting for readability would spin).
        case waiting
        /// A plain HTTP request on a TLS port: answered with a 400 in the clear, then closed.
        case plaintext
        case refused
    }

    private let context: TLSServerContext
    private(set) var stream: TLSStream?
    /// A read that needed the socket writable (a handshake message, a session ticket), or a
    /// write that needed it readable: the other event must call the blocked side again.
    var readWantsWrite = false
    var writeWantsRead = false

    init(context: TLSServerContext) {
        self.context = context
    }

    /// What the client sent first, without consuming it.
    func probe(fd: Int32) -> Probe {
        var first = [UInt8](repeating: 0, count: 16)
        let n = first.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_PEEK)) }
        if n == 0 { return .refused }
        if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .waiting : .refused }
        switch PlaintextProbe.classify(Array(first[..<n])) {
        case .needMore: return .waiting
        case .plaintextHTTP: return .plaintext
        case .unknown: return .refused
        case .tlsClientHello:
            guard let stream = try? TLSStream(accepting: fd, context: context) else { return .refused }
            self.stream = stream
            return .tls
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadBuffer.ReadResult {
        guard let stream else { preconditionFailure("a TLS read before the handshake started") }
        switch stream.read(into: buffer) {
        case .bytes(let n): return .bytes(n)
        case .wantRead: return .wouldBlock
        case .wantWrite:
            readWantsWrite = true
            return .wouldBlock
        case .closed: return .eof
        case .failed: return .failed(EPROTO)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> WriteQueue.WriteStep {
        guard let stream else { preconditionFailure("a TLS write before the handshake started") }
        switch stream.write(bytes) {
        case .bytes(let n): return .wrote(n)
        case .wantWrite: return .wouldBlock
        case .wantRead:
            writeWantsRead = true
            return .wouldBlock
        case .closed: return .failed(EPIPE)
        case .failed: return .failed(EPROTO)
        }
    }

    /// Decrypted bytes OpenSSL holds that the socket will not signal again.
    var hasBufferedInput: Bool { stream?.hasBufferedInput ?? false }

    /// close_notify, once, as far as the socket takes it now: a close never waits for it.
    func sendCloseNotify() {
        guard let stream, stream.isHandshakeComplete else { return }
        _ = stream.shutdown()
    }
}
