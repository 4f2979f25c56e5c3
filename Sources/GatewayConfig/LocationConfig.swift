// A `location` block as validated: its prefix, auth mode, allow and deny rules and identity header names.

public enum AuthMode: String, Sendable, Hashable {
    case off
    case required
}

/// One `allow` or `deny` rule as written (both take the same forms); `AccessRules` compiles them.
public enum AllowRule: Sendable, Hashable {
    case email(String)  // lowercased
    case emailDomain(String)  // lowercased, without "@"
    case provider(String)
    case user(String)  // a user id
    case githubOrg(String)
    case anyone  // `allow any;` — every signed-in user
    case group(String)  // an element of the provider's groups claim, as written
    case githubTeam(String)  // lowercased `org/team` (the team's slug)
    case claim(name: String, value: String)  // a string claim, or an element of an array claim
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
    public private(set) var allow: [AllowRule]
    /// `deny ...;` rules, the same forms as `allow`; any one matching refuses, before `allow`.
    public private(set) var deny: [AllowRule]
    /// `allow` and `deny` compiled into sets, once, for the gate (`AccessRules`).
    public private(set) var access: AccessRules
    /// `headers PRESET;` here, or else at the top level: extra header names for apps written
    /// for another gateway.
    public var headerPreset: HeaderPreset
    /// `proxy_pass NAME;` — an upstream's name (required).
    public var proxyPass: String
    /// `identity_header FIELD HEADER;` — header names that replace the defaults for this location.
    public var identityHeaders: [IdentityField: String]
    /// `pass_access_token on;` — send the provider's access token (`accessTokenHeader`, and
    /// `accessTokenSecretHeader` for OAuth 1.0a), renewing it first when it is about to expire.
    public var passAccessToken = false
    public var location: SourceLocation
    /// `accept bearer issuer=URL audience=AUD;` — also admit API clients with such a JWT.
    public var bearer: BearerConfig? = nil
    /// `identity_assertion on|off;` here; nil follows the top level.
    public var identityAssertion: Bool? = nil
    public init(
        prefix: String, auth: AuthMode, allow: [AllowRule], deny: [AllowRule] = [], proxyPass: String,
        identityHeaders: [IdentityField: String], headerPreset: HeaderPreset = .standard, location: SourceLocation
    ) {
        self.prefix = prefix
        self.auth = auth
        self.allow = allow
        self.deny = deny
        access = AccessRules(allow: allow, deny: deny)
        self.headerPreset = headerPreset
        self.proxyPass = proxyPass
        self.identityHeaders = identityHeaders
        self.location = location
    }

    /// The headers `pass_access_token` sends; stripped from every client like the identity headers.
    public static let accessTokenHeader = "X-Auth-Access-Token"
    public static let accessTokenSecretHeader = "X-Auth-Access-Token-Secret"

    public func headerName(for field: IdentityField) -> String {
        identityHeaders[field] ?? headerPreset.header(for: field) ?? field.defaultHeader
    }
}
