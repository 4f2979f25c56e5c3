// A parsed response head: the raw bytes plus its status and framing.

public struct HTTPResponseHead: Sendable {
    public var headers: HTTPHeaders
    public var version: HTTPVersion
    public var status: Int
    /// `.none` for HEAD requests, 1xx, 204, 304 and 2xx to CONNECT; `.untilClose` with neither
    /// Content-Length nor Transfer-Encoding.
    public var framing: BodyFraming
    /// False when the body runs until close, on "Connection: close", and on HTTP/1.0 without keep-alive.
    public var keepAlive: Bool
    /// Lowercased tokens from every Connection field, in order; not `keep-alive` (see the request head's).
    public var connectionTokens: [[UInt8]]

    public init(
        headers: HTTPHeaders, version: HTTPVersion, status: Int, framing: BodyFraming, keepAlive: Bool,
        connectionTokens: [[UInt8]]
    ) {
        self.headers = headers
        self.version = version
        self.status = status
        self.framing = framing
        self.keepAlive = keepAlive
        self.connectionTokens = connectionTokens
    }
}
