// Which claims of an OIDC or OAuth 2 provider hold the profile, the groups and the rule claims.

/// `claim_id`, `claim_email`, `claim_name`, `claim_groups`: which members of an ID token or
/// userinfo document hold the profile.
public struct ClaimNames: Sendable, Hashable {
    public static let defaultEmail = "email"
    public static let defaultName = "name"
    public static let defaultGroups = "groups"
    /// `claim_id CLAIM;` — nil: the type's default (`sub` for OIDC; `id`, then `sub` for OAuth 2).
    public var id: String?
    /// `claim_email CLAIM;` — default `email`.
    public var email: String
    /// `claim_name CLAIM;` — default `name`.
    public var name: String
    /// `claim_groups CLAIM;` — default `groups`.
    public var groups: String
    /// Whether the groups are read into the session. Not written in the block: the validator
    /// sets it when a location's rules (`allow group`) or headers (`headers oauth2-proxy`) need them.
    public var readsGroups: Bool
    /// The claims `allow claim` / `deny claim` rules compare, sorted: the only ones a session keeps.
    /// Set by the validator, like `readsGroups`.
    public var kept: [String]

    public init(
        id: String? = nil, email: String = Self.defaultEmail, name: String = Self.defaultName,
        groups: String = Self.defaultGroups, readsGroups: Bool = false, kept: [String] = []
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.groups = groups
        self.readsGroups = readsGroups
        self.kept = kept
    }
}
