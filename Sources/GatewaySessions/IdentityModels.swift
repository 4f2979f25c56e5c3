// The values that identity stores take and return.
import GatewayCrypto

/// What a provider says about the person signing in. `provider` is the configured provider
/// name and must not contain ':' (identities are written `provider:subject`).
public struct IdentityClaims: Sendable, Equatable {
    public var provider: String
    public var subject: String
    public var email: String?
    /// Only a verified email links accounts or is claimed.
    public var emailVerified: Bool
    public var login: String?
    public var name: String?

    public init(
        provider: String, subject: String, email: String? = nil, emailVerified: Bool = false,
        login: String? = nil, name: String? = nil
    ) {
        self.provider = provider
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.login = login
        self.name = name
    }

    /// `provider:subject`, as in `identity:{provider}:{subject}` and `X-Auth-Identities`.
    public var identity: String { provider + ":" + subject }

    /// The normalised email (`EmailAddress`) when it is verified: the only email that links.
    /// Sign-in normalises first; this holds for any other caller too.
    var verifiedEmailKey: String? {
        guard emailVerified else { return nil }
        return EmailAddress.normalized(email)
    }
}

public struct UserRecord: Sendable, Equatable {
    /// Random and stable: `u_` + 16 random bytes in base64url.
    public var id: String
    /// Only ever a verified email.
    public var email: String?
    public var name: String?
    public var createdAt: Int64
    /// Ordered by `linkedAt`, then `provider:subject`.
    public var identities: [LinkedIdentity]

    public init(id: String, email: String?, name: String?, createdAt: Int64, identities: [LinkedIdentity]) {
        self.id = id
        self.email = email
        self.name = name
        self.createdAt = createdAt
        self.identities = identities
    }

    /// `["github:123", ...]` for `SessionRecord.identities`.
    public var identityNames: [String] { identities.map(\.identity) }

    /// Fresh user ids: 128 random bits.
    static func newID() -> String { "u_" + SecureRandom.token(bytes: 16) }
}

public struct LinkedIdentity: Sendable, Equatable, Codable {
    public var provider: String
    public var subject: String
    /// As last seen at sign-in.
    public var login: String?
    public var email: String?
    public var emailVerified: Bool
    public var linkedAt: Int64

    public init(provider: String, subject: String, login: String?, email: String?, emailVerified: Bool, linkedAt: Int64)
    {
        self.provider = provider
        self.subject = subject
        self.login = login
        self.email = email
        self.emailVerified = emailVerified
        self.linkedAt = linkedAt
    }

    public var identity: String { provider + ":" + subject }
}

public enum SignInOutcome: Sendable, Equatable {
    /// The identity was known.
    case existing(UserRecord)
    /// A new identity, linked to the user who owns its verified email.
    case linkedByEmail(UserRecord)
    /// A new identity and a new user.
    case created(UserRecord)

    public var user: UserRecord {
        switch self {
        case .existing(let user), .linkedByEmail(let user), .created(let user): return user
        }
    }
}

extension Array where Element == LinkedIdentity {
    /// The order both stores return: oldest link first, ties by name.
    func sortedForRecord() -> [LinkedIdentity] {
        sorted { ($0.linkedAt, $0.identity) < ($1.linkedAt, $1.identity) }
    }
}
