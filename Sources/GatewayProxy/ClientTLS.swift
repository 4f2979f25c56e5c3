// The first bytes on a `listen ... tls` socket: a ClientHello starts the TLS channel; plain HTTP
// sent to the wrong port is told so in the clear.
import GatewayCore
import GatewayTLS
import Glibc

enum ClientTLS {
    enum Probe {
        /// A ClientHello: reads and writes go through this channel from now on.
        case tls(TLSChannel)
        /// Too few bytes to tell: look again at the next tick (peeking does not consume, so
        /// waiting for readability would spin).
        case waiting
        /// A plain HTTP request on a TLS port: answered with a 400 in the clear, then closed.
        case plaintext
        case refused
    }

    /// What the client sent first, without consuming it.
    static func probe(fd: Int32, context: TLSServerContext) -> Probe {
        var first = [UInt8](repeating: 0, count: 16)
        let n = first.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_PEEK)) }
        if n == 0 { return .refused }
        if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .waiting : .refused }
        let verdict = first.withUnsafeBytes { PlaintextProbe.classify(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        switch verdict {
        case .needMore: return .waiting
        case .plaintextHTTP: return .plaintext
        case .unknown: return .refused
        case .tlsClientHello:
            guard let stream = try? TLSStream(accepting: fd, context: context) else { return .refused }
            return .tls(TLSChannel(stream))
        }
    }
}
