// The claims of a verified JWT, with typed accessors for what the gateway reads.

/// A JWT's claims object. Registered and OIDC standard claims have typed accessors; anything
/// else is reachable by subscript.
public struct JWTClaims: Sendable, Hashable {
    public let values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) {
        self.values = values
    }

    public subscript(name: String) -> JSONValue? { values[name] }

    /// A string claim; nil when missing or not a string.
    public func string(_ name: String) -> String? { values[name]?.stringValue }

    /// A numeric date (seconds since the epoch); nil when missing or not a number.
    public func date(_ name: String) -> Double? { values[name]?.numberValue }

    public var issuer: String? { string("iss") }
    public var subject: String? { string("sub") }
    /// `aud` as a list: a single string becomes one element. Nil when missing or malformed.
    public var audiences: [String]? {
        switch values["aud"] {
        case .string(let s)?: return [s]
        case .array(let items)?:
            let strings = items.compactMap(\.stringValue)
            return strings.count == items.count ? strings : nil
        default: return nil
        }
    }
    public var authorizedParty: String? { string("azp") }
    public var expiresAt: Double? { date("exp") }
    public var issuedAt: Double? { date("iat") }
    public var notBefore: Double? { date("nbf") }
    public var nonce: String? { string("nonce") }

    public var email: String? { string("email") }
    /// `email_verified` as a boolean; some providers send the string `"true"`.
    public var emailVerified: Bool {
        switch values["email_verified"] {
        case .bool(let b)?: b
        case .string(let s)?: s == "true"
        default: false
        }
    }
    public var name: String? { string("name") }
    public var preferredUsername: String? { string("preferred_username") }
    /// Google's hosted domain (Workspace) claim.
    public var hostedDomain: String? { string("hd") }
}
