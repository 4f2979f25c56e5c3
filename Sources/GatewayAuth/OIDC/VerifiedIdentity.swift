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
