// What an upstream connection reports to the client connection it serves, and how it fails.
import GatewayCore
import GatewayHTTP

/// What an upstream connection reports to the client connection it serves. The response is
/// read here (parser and decoder are this connection's); the delegate hears what it means.
protocol UpstreamConnectionDelegate: AnyObject {
    func upstreamConnected(_ upstream: UpstreamConnection)
    /// A final response head, or a 101; interim 1xx heads are dropped before this.
    func upstreamResponseHead(_ upstream: UpstreamConnection, _ head: HTTPResponseHead)
    /// Whether the client side takes more body bytes now (asked before each decode).
    func upstreamCanTakeBody(_ upstream: UpstreamConnection) -> Bool
    /// Decoded response body bytes.
    func upstreamResponseBody(_ upstream: UpstreamConnection, _ bytes: UnsafeRawBufferPointer)
    /// Decoding stopped short of the body's end: no more input yet, or the client side is full.
    func upstreamResponseBodyWaiting(_ upstream: UpstreamConnection)
    /// The whole response is read. `reusable`: the connection is open with nothing left unread.
    func upstreamResponseComplete(_ upstream: UpstreamConnection, reusable: Bool)
    /// The response could not be read; the connection must not be reused.
    func upstreamResponseInvalid(_ upstream: UpstreamConnection, _ problem: UpstreamResponseProblem)
    /// Bytes arrived after `startTunnel`; they wait in `input`.
    func upstreamTunnelReadable(_ upstream: UpstreamConnection)
    /// The upstream ended the connection (EOF) or it failed; `error` is nil for a clean EOF.
    func upstreamClosed(_ upstream: UpstreamConnection, error: UpstreamError?)
    func upstreamDrained(_ upstream: UpstreamConnection)
}

enum UpstreamResponseProblem {
    case headTooLarge
    case invalidHead(HTTPParseError)
    case invalidBody(HTTPParseError)
}

enum UpstreamError: Error, Equatable, CustomStringConvertible {
    case connectFailed(SystemError)
    case connectTimedOut
    case readTimedOut
    case sendTimedOut
    case io(SystemError)
    /// The TLS handshake with an `https://` server failed (its certificate, its name, a protocol).
    case tlsFailed(String)

    var description: String {
        switch self {
        case .connectFailed(let e): "connect failed: \(e)"
        case .connectTimedOut: "connect timed out"
        case .readTimedOut: "read timed out"
        case .sendTimedOut: "send timed out"
        case .io(let e): "i/o error: \(e)"
        case .tlsFailed(let reason): "TLS: \(reason)"
        }
    }

    var isTimeout: Bool {
        switch self {
        case .connectTimedOut, .readTimedOut, .sendTimedOut: true
        default: false
        }
    }
}
