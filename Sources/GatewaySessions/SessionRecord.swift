// What a session holds: who signed in, with which provider, and when it ends.

/// Stored as one compact JSON string (`SessionRecord+JSON.swift`), so an authenticated
/// request costs one read. Times are unix seconds.
public struct SessionRecord: Sendable, Equatable, Codable {
    /// The stable internal user id (`X-Auth-User-Id`).
    public var userID: String
    /// The provider used for this sign-in (`X-Auth-Provider`).
    public var provider: String
    /// The subject at that provider.
    public var subject: String
    /// Display login (`X-Auth-User`).
    public var login: String?
    /// Normalised (`EmailAddress`) at sign-in; authorizes and is sent as `X-Auth-Email` only
    /// when `emailVerified`.
    public var email: String?
    /// Whether the provider (or the user's verified email claim) vouches for `email`. A record
    /// written before this field existed reads as unverified.
    public var emailVerified: Bool = false
    public var name: String?
    /// Every identity of the user, `"github:123"` style (`X-Auth-Identities`).
    public var identities: [String]
    public var createdAt: Int64
    /// The absolute end: created + lifetime. Loads return nil from then on.
    public var expiresAt: Int64
    /// For the sliding idle timeout.
    public var lastSeenAt: Int64
    /// Organisations (GitHub) read at sign-in, lowercased, for `allow github_org`.
    public var organizations: [String] = []
    /// The provider's tokens (`ProviderTokens`), sealed with a key derived from `cookie_secret`
    /// and bound to this session's id: the store never sees them in clear.
    public var sealedTokens: String?
    /// When the access token expires (unix seconds), in clear so the gate knows when to
    /// refresh without opening `sealedTokens`; nil when it does not expire or there is none.
    public var tokenExpiresAt: Int64?
    /// The client address at sign-in, as the access log computes it (trusted_proxies
    /// honoured): shown on the account page.
    public var clientAddress: String?
    /// The provider's ID token, sealed (`SessionSecrets`) under the session id, for
    /// RP-Initiated Logout's `id_token_hint`. The store never sees it in clear.
    public var sealedIDToken: String?
    /// Groups from the provider's groups claim (`claim_groups`), as sent, for `allow group`
    /// and `X-Forwarded-Groups`; read only when some location needs them.
    public var groups: [String] = []
    /// GitHub teams read at sign-in, lowercased `org/team`, for `allow github_team`.
    public var teams: [String] = []
    /// The claims some `allow claim` / `deny claim` rule names, each as its values in text (a
    /// string claim is one value, an array claim each element).
    public var claims: [String: [String]] = [:]
    /// The provider's session id (OIDC `sid`), for back-channel logout; nil when none was given.
    public var sid: String? = nil

    public init(
        userID: String, provider: String, subject: String, login: String? = nil, email: String? = nil,
        name: String? = nil, identities: [String], createdAt: Int64, expiresAt: Int64, lastSeenAt: Int64
    ) {
        self.userID = userID
        self.provider = provider
        self.subject = subject
        self.login = login
        self.email = email
        self.name = name
        self.identities = identities
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
    }
}

extension SessionRecord {
    private enum CodingKeys: String, CodingKey {
        case userID, provider, subject, login, email, emailVerified, name, identities, createdAt, expiresAt, lastSeenAt
        case organizations, sealedTokens, tokenExpiresAt
        case clientAddress, sealedIDToken
        case groups, teams, claims
        case sid
    }

    /// The email when it is verified: the only one rules compare and `X-Auth-Email` carries.
    public var verifiedEmail: String? { emailVerified ? email : nil }

    /// Records written before `organizations`, `groups`, `teams` or `claims` existed (or with
    /// none) decode with empty ones;
    /// before `emailVerified`, as unverified.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            userID: try c.decode(String.self, forKey: .userID), provider: try c.decode(String.self, forKey: .provider),
            subject: try c.decode(String.self, forKey: .subject), login: try c.decodeIfPresent(String.self, forKey: .login),
            email: try c.decodeIfPresent(String.self, forKey: .email), name: try c.decodeIfPresent(String.self, forKey: .name),
            identities: try c.decode([String].self, forKey: .identities), createdAt: try c.decode(Int64.self, forKey: .createdAt),
            expiresAt: try c.decode(Int64.self, forKey: .expiresAt), lastSeenAt: try c.decode(Int64.self, forKey: .lastSeenAt))
        organizations = try c.decodeIfPresent([String].self, forKey: .organizations) ?? []
        groups = try c.decodeIfPresent([String].self, forKey: .groups) ?? []
        teams = try c.decodeIfPresent([String].self, forKey: .teams) ?? []
        claims = try c.decodeIfPresent([String: [String]].self, forKey: .claims) ?? [:]
        emailVerified = try c.decodeIfPresent(Bool.self, forKey: .emailVerified) ?? false
        sealedTokens = try c.decodeIfPresent(String.self, forKey: .sealedTokens)
        tokenExpiresAt = try c.decodeIfPresent(Int64.self, forKey: .tokenExpiresAt)
        clientAddress = try c.decodeIfPresent(String.self, forKey: .clientAddress)
        sealedIDToken = try c.decodeIfPresent(String.self, forKey: .sealedIDToken)
        sid = try c.decodeIfPresent(String.self, forKey: .sid)
    }
}
