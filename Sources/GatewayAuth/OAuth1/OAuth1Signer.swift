// Signs outbound requests as an OAuth 1.0a client (RFC 5849 §3.1), with the protocol parameters
// in the Authorization header (§3.5.1).
import GatewayCrypto
import GatewayOutbound

/// A client's credentials, and where nonces and timestamps come from (injectable for tests).
/// A plain value: the consumer secret never leaves it except inside an HMAC key.
public struct OAuth1Signer: Sendable {
    public let consumerKey: String
    private let consumerSecret: String
    /// A fresh nonce per request (§3.3).
    public var makeNonce: @Sendable () -> String
    /// Seconds since the Unix epoch (§3.3).
    public var timestamp: @Sendable () -> Int

    public init(
        consumerKey: String, consumerSecret: String,
        makeNonce: @escaping @Sendable () -> String = OAuth1Signer.randomNonce,
        timestamp: @escaping @Sendable () -> Int = { Int(OIDCTiming.systemWallClock()) }
    ) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.makeNonce = makeNonce
        self.timestamp = timestamp
    }

    /// 30 lowercase hex digits from 15 random bytes (120 bits). Short and plain on purpose:
    /// servers built on oauthlib accept only 20...30 alphanumeric characters by default.
    @Sendable public static func randomNonce() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in SecureRandom.bytes(15) { out += [hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    /// The protocol parameters of one request, `oauth_signature` included, sorted by name (the
    /// order Twitter documents). The signature covers `url`'s query, the `form` fields (sent as an
    /// `application/x-www-form-urlencoded` body) and the protocol parameters. `token` is nil before
    /// there is one (§2.1: the request-token call omits it and signs with an empty token secret).
    /// `extra` carries `oauth_callback` or `oauth_verifier`. Nil unless `url` is absolute http(s).
    public func protocolParameters(
        method: String, url: String, token: String?, tokenSecret: String, extra: [(String, String)] = [],
        form: [(String, String)] = [], nonce: String, timestamp: String
    ) -> [(String, String)]? {
        var oauth =
            extra + [
                ("oauth_consumer_key", consumerKey),
                ("oauth_nonce", nonce),
                ("oauth_signature_method", OAuth1Signature.method),
                ("oauth_timestamp", timestamp),
                ("oauth_version", "1.0"),
            ]
        if let token { oauth.append(("oauth_token", token)) }
        let parameters = OAuth1Signature.queryParameters(of: url) + form + oauth
        guard let base = OAuth1Signature.baseString(method: method, url: url, parameters: parameters) else {
            return nil
        }
        let signature = OAuth1Signature.hmacSHA1(
            baseString: base, consumerSecret: consumerSecret, tokenSecret: tokenSecret)
        oauth.append(("oauth_signature", signature))
        return oauth.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
    }

    /// A signed request: the signature in `Authorization: OAuth ...`, a non-nil `form` as a form
    /// body, and `Accept` as given in `headers`. A fresh nonce and the current time each call.
    public func request(
        method: String, url: String, token: String?, tokenSecret: String, extra: [(String, String)] = [],
        form: [(String, String)]? = nil, headers: [(String, String)] = []
    ) -> OutboundRequest? {
        guard
            let oauth = protocolParameters(
                method: method, url: url, token: token, tokenSecret: tokenSecret, extra: extra, form: form ?? [],
                nonce: makeNonce(), timestamp: String(timestamp()))
        else { return nil }
        let allHeaders = [("Authorization", OAuth1Signature.authorizationHeader(oauth))] + headers
        guard let form else { return OutboundRequest(method: method, url: url, headers: allHeaders) }
        var request = OutboundRequest.form(url: url, fields: form, headers: allHeaders)
        request.method = method
        return request
    }
}
