// The state of one request/response exchange on a client connection.
import GatewayHTTP

/// A class, not a struct: the machine hands it to the shell in its actions (the line to log,
/// the exchange a tunnel takes over), and copying a struct of this many reference-counted
/// fields retained and released each of them (the value-witness copies were about 5% of the
/// gateway's CPU in perf). One machine owns it at a time; the shell only reads what it is given.
final class Exchange {
    let head: HTTPRequestHead
    let start: UInt64
    /// Who sent the request (the first untrusted hop), for the access log and limits.
    let clientAddress: String
    /// The canonical target: matched, and sent upstream. Nil until canonicalised (or refused).
    var target: CanonicalTarget?
    var route: Route?
    /// When the request head was handed to an upstream connection.
    var upstreamStart: UInt64 = 0
    /// Time until the upstream's response head arrived.
    var upstreamHeadNanos: UInt64?
    var serverIndex = 0
    var requestDecoder: HTTPBodyDecoder
    var requestComplete: Bool
    /// The whole request (head and body) is queued on the upstream connection.
    var requestQueued = false
    /// Kept until the first response byte, for the one retry on a stale pooled connection.
    var forwardedHead: [UInt8] = []
    var reusedConnection = false
    var retried = false
    /// Where the proxied exchange stands; it decides the upstream's outcomes.
    var proxy = ProxyMachine()
    /// A response head has gone to the client.
    var responseHeadDone: Bool { proxy.responseStarted }
    var status = 0
    var clientFraming: HeadRewriter.ClientFraming = .asIs
    var keepAlive = false
    var upstreamKeepAlive = false
    /// Body bytes sent to the client (the access log's `bytes`).
    var bytesSent = 0
    /// A checked WebSocket handshake: the accept value its 101 must carry.
    var websocketAccept: [UInt8]?
    /// Its request id and trace context (`RequestTrace`).
    var trace: RequestTrace?
    /// The session this exchange was let through with, on protected locations.
    var session: SessionToken?
    /// The body a local endpoint asked to read (`LocalEndpoint.bodyLimit`), once read.
    var localBody: [UInt8] = []

    init(head: HTTPRequestHead, start: UInt64, clientAddress: String) {
        self.head = head
        self.start = start
        self.clientAddress = clientAddress
        requestDecoder = HTTPBodyDecoder(framing: head.framing)
        requestComplete = requestDecoder.isComplete
    }

    /// The upstream server this exchange was sent to, for the logs.
    func serverName(in upstreams: [UpstreamTarget]) -> String? {
        route.map { upstreams[$0.upstreamIndex].serverNames[serverIndex] }
    }

    /// A request may be sent again on a fresh connection when a reused one was closed before
    /// answering: the upstream cannot have acted on it, and the method is idempotent.
    var canRetry: Bool {
        reusedConnection && !retried && !responseHeadDone && head.methodKind.isIdempotent
            && head.framing == .none && !forwardedHead.isEmpty
    }
}
