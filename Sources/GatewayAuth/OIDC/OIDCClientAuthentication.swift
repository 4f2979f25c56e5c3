// How the gateway authenticates to the token endpoint, and the URL encoding it needs.
import GatewayConfig
import GatewayCrypto
import GatewayHTTP

/// `token_auth`, as the config validator read it: `client_secret_basic`, `client_secret_post`,
/// or `none` (a public client that relies on PKCE alone).
public typealias OIDCClientAuthentication = TokenAuthMethod

extension TokenAuthMethod {
    /// Adds the client's credentials to a token request's form fields or headers.
    func apply(
        clientID: String, clientSecret: String?, fields: inout [(String, String)], headers: inout [(String, String)]
    ) {
        switch self {
        case .clientSecretBasic:
            // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
            let pair = OIDCURLEncoding.formEncode(clientID) + ":" + OIDCURLEncoding.formEncode(clientSecret ?? "")
            headers.append(("Authorization", "Basic " + OIDCURLEncoding.base64(Array(pair.utf8))))
        case .clientSecretPost:
            fields.append(("client_id", clientID))
            fields.append(("client_secret", clientSecret ?? ""))
        case .none:
            fields.append(("client_id", clientID))
        }
    }
}

/// Percent-encoding for query strings and Basic credentials, and standard base64.
enum OIDCURLEncoding {
    /// RFC 3986 unreserved characters stay; every other byte becomes `%XX`.
    static func percentEncode(_ text: String, spaceAsPlus: Bool = false) -> String {
        PercentEncoding.encode(text, spaceAsPlus: spaceAsPlus)
    }

    /// `application/x-www-form-urlencoded`: as `percentEncode`, but a space becomes `+`.
    static func formEncode(_ text: String) -> String {
        percentEncode(text, spaceAsPlus: true)
    }

    /// `key=value&...`, each side percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    /// Standard base64 with padding (RFC 4648 §4), for HTTP Basic.
    static func base64(_ bytes: [UInt8]) -> String {
        var text = Array(Base64URL.encode(bytes).utf8).map { c -> UInt8 in
            switch c {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: c
            }
        }
        while text.count % 4 != 0 { text.append(UInt8(ascii: "=")) }
        return String(decoding: text, as: UTF8.self)
    }
}
