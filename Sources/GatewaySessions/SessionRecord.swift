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
    public var email: String?
    public var name: String?
    /// Every identity of the user, `"github:123"` style (`X-Auth-Identities`).
    public var identities: [String]
    public var createdAt: Int64
    /// The absolute end: created + lifetime. Loads return nil from then on.
    public var expiresAt: Int64
    /// For the sliding idle timeout.
    public var lastSeenAt: Int64

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
