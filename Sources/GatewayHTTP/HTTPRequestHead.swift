// A parsed request head: the raw bytes plus what the proxy needs to route and frame the request.

/// Immutable once parsed, and a class: the parser, the exchange, the gate, the router and the
/// upstream leg all hand it on, and every copy of a struct retained and released each of its
/// reference-counted fields (bytes, fields, path, host, authority, tokens); a shared reference
/// costs one retain. Counted with uprobes on the public path: the struct's value-witness copies
/// and destroys were 49 of the 378 retains and releases per request.
public final class HTTPRequestHead: Sendable {
    public let headers: HTTPHeaders
    /// The method, as offsets into `headers.bytes`.
    public let method: Range<Int>
    public let methodKind: HTTPMethodKind
    /// The raw request-target, as offsets into `headers.bytes`.
    public let target: Range<Int>
    public let version: HTTPVersion
    /// Origin-form: the target as is. Absolute-form: its path and query ("/" if empty).
    /// Asterisk-form: "*". CONNECT: the authority.
    public let path: [UInt8]
    /// host[:port] from an absolute-form target.
    public let absoluteFormAuthority: [UInt8]?
    /// `absoluteFormAuthority` if present, else the Host field value.
    public let host: [UInt8]?
    /// `.none`, `.length(n)` or `.chunked`; requests are never `.untilClose`.
    public let framing: BodyFraming
    /// HTTP/1.1: unless "Connection: close". HTTP/1.0: only with "Connection: keep-alive".
    public let keepAlive: Bool
    /// "Expect: 100-continue" on an HTTP/1.1 request.
    public let expectsContinue: Bool
    /// Lowercased tokens from every Connection field, in order; not `keep-alive`, whose field
    /// is hop-by-hop anyway (`keepAlive` has what it says).
    public let connectionTokens: [[UInt8]]
    /// An HTTP/1.1 request with `Upgrade: websocket` and "upgrade" in Connection. Other protocols
    /// (h2c, ...) are never upgraded to: their requests go on as plain ones.
    public let isUpgrade: Bool

    public init(
        headers: HTTPHeaders, method: Range<Int>, methodKind: HTTPMethodKind, target: Range<Int>,
        version: HTTPVersion, path: [UInt8], absoluteFormAuthority: [UInt8]?, host: [UInt8]?,
        framing: BodyFraming, keepAlive: Bool, expectsContinue: Bool, connectionTokens: [[UInt8]],
        isUpgrade: Bool
    ) {
        self.headers = headers
        self.method = method
        self.methodKind = methodKind
        self.target = target
        self.version = version
        self.path = path
        self.absoluteFormAuthority = absoluteFormAuthority
        self.host = host
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.connectionTokens = connectionTokens
        self.isUpgrade = isUpgrade
    }

    public var methodString: String { String(decoding: headers.bytes[method], as: UTF8.self) }

    public var pathString: String { String(decoding: path, as: UTF8.self) }
}
