// Who signed in: the provider-neutral result of a completed sign-in.

public struct VerifiedIdentity: Sendable, Equatable {
    /// The provider block's name (`provider NAME`).
    public var provider: String
    /// The provider's stable id for the user (`sub` for OIDC).
    public var subject: String
    public var email: String?
    /// Only a verified email may link identities to one user.
    public var emailVerified: Bool
    /// A display login (`preferred_username` for OIDC).
    public var login: String?
    public var name: String?
    /// Google Workspace's `hd` claim.
    public var hostedDomain: String?
    /// Organisations the user belongs to (GitHub, when a location's rules need them), lowercased.
    public var organizations: [String]
    /// The provider's tokens from this sign-in, for `pass_access_token`.
    public var tokens: ProviderTokens?
    /// The ID token as the provider issued it (OIDC only), already validated: kept, sealed,
    /// in the session as RP-Initiated Logout's `id_token_hint`. Never logged.
    public var idToken: String?
    /// The groups claim's values (OIDC, OAuth 2), when a location's rules or headers need them.
    public var groups: [String] = []
    /// GitHub teams as lowercased `org/team`, when a location's rules need them.
    public var teams: [String] = []
    /// The claims some rule compares, as text values (`RuleClaimReader`).
    public var claims: [String: [String]] = [:]
    /// The OIDC session id (`sid` of the ID token), for back-channel logout.
    public var sid: String? = nil

    public init(
        provider: String, subject: String, email: String? = nil, emailVerified: Bool = false, login: String? = nil,
        name: String? = nil, hostedDomain: String? = nil, organizations: [String] = []
    ) {
        self.organizations = organizations
        self.provider = provider
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.login = login
        self.name = name
        self.hostedDomain = hostedDomain
    }
}

extension VerifiedIdentity {
    /// The same identity, carrying the sign-in's provider tokens.
    public func keeping(_ tokens: ProviderTokens?) -> VerifiedIdentity {
        var copy = self
        copy.tokens = tokens
        return copy
    }
}
