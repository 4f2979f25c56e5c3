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
    /// Whether some location needs the groups (`allow group`, `headers oauth2-proxy`): then a
    /// userinfo call fills them in when the ID token has none. (The groups claim is kept
    /// whenever it is sent.) Not written in the block: the validator sets it.
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
