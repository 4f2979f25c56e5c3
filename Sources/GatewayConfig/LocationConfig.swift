// A `location` block as validated: its prefix, auth mode, allow rules and identity header names.

public enum AuthMode: String, Sendable, Hashable {
    case off
    case required
}

public enum AllowRule: Sendable, Hashable {
    case email(String)  // lowercased
    case emailDomain(String)  // lowercased, without "@"
    case provider(String)
    case user(String)  // a user id
    case githubOrg(String)
    case anyone  // `allow any;` — every signed-in user
}

/// The identity fields the gateway can send upstream, and their default header names.
public enum IdentityField: String, Sendable, Hashable, CaseIterable {
    case userID = "user_id"
    case user
    case email
    /// `true` or `false`, sent whenever the session has an email (verified or not).
    case emailVerified = "email_verified"
    case name
    case provider
    case identities

    public var defaultHeader: String {
        switch self {
        case .userID: "X-Auth-User-Id"
        case .user: "X-Auth-User"
        case .email: "X-Auth-Email"
        case .emailVerified: "X-Auth-Email-Verified"
        case .name: "X-Auth-Name"
        case .provider: "X-Auth-Provider"
        case .identities: "X-Auth-Identities"
        }
    }
}

public struct LocationConfig: Sendable, Hashable {
    /// Starts with `/`. Longest prefix wins.
    public var prefix: String
    /// `auth off|required;` — default required.
    public var auth: AuthMode
    /// `allow ...;` rules; any one matching admits the user. Empty means any signed-in user.
    public var allow: [AllowRule]
    /// `proxy_pass NAME;` — an upstream's name (required).
    public var proxyPass: String
    /// `identity_header FIELD HEADER;` — header names that replace the defaults for this location.
    public var identityHeaders: [IdentityField: String]
    public var location: SourceLocation
    /// `accept bearer issuer=URL audience=AUD;` — also admit API clients with such a JWT.
    public var bearer: BearerConfig? = nil
    /// `identity_assertion on|off;` here; nil follows the top level.
    public var identityAssertion: Bool? = nil
    public init(
        prefix: String, auth: AuthMode, allow: [AllowRule], proxyPass: String,
        identityHeaders: [IdentityField: String], location: SourceLocation
    ) {
        self.prefix = prefix
        self.auth = auth
        self.allow = allow
        self.proxyPass = proxyPass
        self.identityHeaders = identityHeaders
        self.location = location
    }

    public func headerName(for field: IdentityField) -> String {
        identityHeaders[field] ?? field.defaultHeader
    }
}
