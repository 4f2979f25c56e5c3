// A request to an identity provider (discovery, JWKS, token, userinfo, APIs) for `CurlHTTPClient`.
import GatewayHTTP

/// One outbound HTTP request. Plain data: build it anywhere, send it on a loop.
public struct OutboundRequest: Sendable {
    /// The default whole-transfer deadline.
    public static let defaultTimeout: Duration = .seconds(10)
    /// The default cap on a response body: IdP documents and tokens are small.
    public static let defaultMaxResponseBytes = 1 << 20

    /// "GET", "POST", ... (an RFC 9110 token).
    public var method: String
    /// An absolute http or https URL.
    public var url: String
    /// Sent as given, after libcurl's defaults (Host, User-Agent, Accept), which a same-named header replaces.
    public var headers: [(String, String)]
    /// Sent with a Content-Length; nil sends no body.
    public var body: [UInt8]?
    /// The whole transfer: resolve, connect, TLS, send and receive.
    public var timeout: Duration
    /// Larger response bodies fail with `.responseTooLarge`.
    public var maxResponseBytes: Int

    public init(
        method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = OutboundRequest.defaultTimeout,
        maxResponseBytes: Int = OutboundRequest.defaultMaxResponseBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// A form POST (application/x-www-form-urlencoded) with RFC 3986 percent-encoding of keys and values.
    ///
    /// Everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, space
    /// included (`%20`, not `+`): token endpoints decode both, and this form is unambiguous.
    /// A Content-Type in `headers` replaces the form's.
    public static func form(url: String, fields: [(String, String)], headers: [(String, String)] = [])
        -> OutboundRequest
    {
        var body: [UInt8] = []
        for (index, (name, value)) in fields.enumerated() {
            if index > 0 { body.append(UInt8(ascii: "&")) }
            PercentEncoding.encode(name, into: &body)
            body.append(UInt8(ascii: "="))
            PercentEncoding.encode(value, into: &body)
        }
        var allHeaders = headers
        if !headers.contains(where: { OutboundResponse.headerNamesMatch($0.0, "Content-Type") }) {
            allHeaders.insert(("Content-Type", "application/x-www-form-urlencoded"), at: 0)
        }
        return OutboundRequest(method: "POST", url: url, headers: allHeaders, body: body)
    }
}
