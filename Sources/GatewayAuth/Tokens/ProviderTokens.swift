// The provider's tokens a session keeps for the app: what is sealed into `sealedTokens`.
import GatewayJSON

/// OAuth 2 / OIDC: an access token, maybe a refresh token and an expiry. OAuth 1.0a: the
/// access token and its secret, which never expire. Nothing here is ever printed or logged:
/// the description and the mirror show no value.
public struct ProviderTokens: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public var accessToken: String
    /// OAuth 1.0a's `oauth_token_secret`: the app signs its own calls with it.
    public var tokenSecret: String?
    public var refreshToken: String?
    /// When the access token expires (unix seconds); nil when the provider gave no lifetime.
    public var expiresAt: Int64?

    public init(accessToken: String, tokenSecret: String? = nil, refreshToken: String? = nil, expiresAt: Int64? = nil) {
        self.accessToken = accessToken
        self.tokenSecret = tokenSecret
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }

    public var description: String {
        "ProviderTokens(refreshable: \(refreshToken != nil), expiresAt: \(expiresAt.map(String.init) ?? "never"))"
    }

    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// `{"a":"...","s":"...","r":"...","e":123}`, the sealed payload; nil members left out.
    public func encodedJSON() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("a", accessToken)
        if let tokenSecret { w.field("s", tokenSecret) }
        if let refreshToken { w.field("r", refreshToken) }
        if let expiresAt { w.field("e", expiresAt) }
        w.endObject()
        return w.bytes
    }

    /// Reads what `encodedJSON()` wrote; nil when it is not that.
    public init?(json: [UInt8]) {
        var r = JSONReader(json)
        var access: String?
        var secret: String?
        var refresh: String?
        var expiry: Int64?
        let ok = r.readObject { key, r in
            switch key {
            case "a": return r.readString(into: &access)
            case "s": return r.readOptionalString(into: &secret)
            case "r": return r.readOptionalString(into: &refresh)
            case "e": return r.readInteger(into: &expiry)
            default: return r.skipValue()
            }
        }
        guard ok, r.atEnd, let access else { return nil }
        self.init(accessToken: access, tokenSecret: secret, refreshToken: refresh, expiresAt: expiry)
    }
}
