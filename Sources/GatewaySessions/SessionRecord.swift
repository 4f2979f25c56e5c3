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
        case organizations, sid
    }

    /// The email when it is verified: the only one rules compare and `X-Auth-Email` carries.
    public var verifiedEmail: String? { emailVerified ? email : nil }

    /// Records written before `organizations` existed (or with none) decode with an empty list;
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
        emailVerified = try c.decodeIfPresent(Bool.self, forKey: .emailVerified) ?? false
        sid = try c.decodeIfPresent(String.self, forKey: .sid)
    }
}
