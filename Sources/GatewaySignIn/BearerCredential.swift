// `Authorization: Bearer <token>` (RFC 6750 §2.1) read from a request head, and the
// `WWW-Authenticate` challenge (§3) that answers a missing or refused one.
import GatewayHTTP

enum BearerCredential: Equatable {
    /// No Authorization field, or one with another scheme (Basic, ...): the session decides.
    case absent
    case token(String)
    /// `Bearer` without a usable token, or several Authorization fields.
    case malformed

    /// Longer tokens are refused unread (CompactJWS refuses them too).
    static let maximumLength = 16 * 1024

    init(_ headers: HTTPHeaders) {
        let fields = headers.indices(of: "authorization")
        guard let first = fields.first else {
            self = .absent
            return
        }
        let value = headers.value(at: first)
        let scheme = value.prefix { $0 != 0x20 }
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else {
            self = fields.count > 1 ? .malformed : .absent
            return
        }
        guard fields.count == 1 else {
            self = .malformed
            return
        }
        let token = value.dropFirst(6).drop { $0 == 0x20 }
        // token68: the base64url alphabet and the dots of a JWS; trailing spaces are trimmed.
        let trimmed = token.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
        guard !trimmed.isEmpty, trimmed.count <= Self.maximumLength, trimmed.allSatisfy(Self.isToken68) else {
            self = .malformed
            return
        }
        self = .token(String(decoding: trimmed, as: UTF8.self))
    }

    private static func isToken68(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x2B || b == 0x2F || b == 0x3D
    }

    /// `Bearer realm="..."`, with `error="invalid_token"` and a description when a token was
    /// refused (§3.1; a request without one gets no error code).
    static func challenge(realm: String, error: String? = nil, description: String? = nil) -> String {
        var value = "Bearer realm=\"" + quotable(realm) + "\""
        if let error {
            value += ", error=\"" + quotable(error) + "\""
            if let description { value += ", error_description=\"" + quotable(description) + "\"" }
        }
        return value
    }

    /// §3: error_description holds %x20-21 / %x23-5B / %x5D-7E only: quotes and backslashes
    /// become apostrophes and slashes, anything else a question mark.
    static func quotable(_ text: String) -> String {
        String(
            decoding: text.utf8.prefix(200).map { b -> UInt8 in
                switch b {
                case 0x22: 0x27
                case 0x5C: 0x2F
                case 0x20...0x7E: b
                default: 0x3F
                }
            }, as: UTF8.self)
    }
}
