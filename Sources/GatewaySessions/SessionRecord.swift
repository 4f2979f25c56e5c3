// What a session holds: who signed in, with which provider, and when it ends.

/// Stored as one compact JSON string (`SessionRecord+JSON.swift`), so an authenticated
/// request costs one read. Times are unix seconds.
public struct SessionRecord: Sendable, Equatable, Codable {
    /// The fields, shared by copies until one of them is changed (copy on write). A record is
    /// handed along every authenticated request (store, cache, gate, header block): as a plain
    /// struct each copy was 15 retains and 15 releases; now it is one of each.
    private var storage: Storage

    /// The stable internal user id (`X-Auth-User-Id`).
    public var userID: String {
        get { storage.userID }
        set { mutableStorage().userID = newValue }
    }
    /// The provider used for this sign-in (`X-Auth-Provider`).
    public var provider: String {
        get { storage.provider }
        set { mutableStorage().provider = newValue }
    }
    /// The subject at that provider.
    public var subject: String {
        get { storage.subject }
        set { mutableStorage().subject = newValue }
    }
    /// Display login (`X-Auth-User`).
    public var login: String? {
        get { storage.login }
        set { mutableStorage().login = newValue }
    }
    /// Normalised (`EmailAddress`) at sign-in; authorizes and is sent as `X-Auth-Email` only
    /// when `emailVerified`.
    public var email: String? {
        get { storage.email }
        set { mutableStorage().email = newValue }
    }
    /// Whether the provider (or the user's verified email claim) vouches for `email`. A record
    /// written before this field existed reads as unverified.
    public var emailVerified: Bool {
        get { storage.emailVerified }
        set { mutableStorage().emailVerified = newValue }
    }
    public var name: String? {
        get { storage.name }
        set { mutableStorage().name = newValue }
    }
    /// Every identity of the user, `"github:123"` style (`X-Auth-Identities`).
    public var identities: [String] {
        get { storage.identities }
        set { mutableStorage().identities = newValue }
    }
    public var createdAt: Int64 {
        get { storage.createdAt }
        set { mutableStorage().createdAt = newValue }
    }
    /// The absolute end: created + lifetime. Loads return nil from then on.
    public var expiresAt: Int64 {
        get { storage.expiresAt }
        set { mutableStorage().expiresAt = newValue }
    }
    /// For the sliding idle timeout.
    public var lastSeenAt: Int64 {
        get { storage.lastSeenAt }
        set { mutableStorage().lastSeenAt = newValue }
    }
    /// Organisations (GitHub) read at sign-in, lowercased, for `allow github_org`.
    public var organizations: [String] {
        get { storage.organizations }
        set { mutableStorage().organizations = newValue }
    }
    /// The provider's tokens (`ProviderTokens`), sealed with a key derived from `cookie_secret`
    /// and bound to this session's id: the store never sees them in clear.
    public var sealedTokens: String? {
        get { storage.sealedTokens }
        set { mutableStorage().sealedTokens = newValue }
    }
    /// When the access token expires (unix seconds), in clear so the gate knows when to
    /// refresh without opening `sealedTokens`; nil when it does not expire or there is none.
    public var tokenExpiresAt: Int64? {
        get { storage.tokenExpiresAt }
        set { mutableStorage().tokenExpiresAt = newValue }
    }
    /// The client address at sign-in, as the access log computes it (trusted_proxies
    /// honoured): shown on the account page.
    public var clientAddress: String? {
        get { storage.clientAddress }
        set { mutableStorage().clientAddress = newValue }
    }
    /// The provider's ID token, sealed (`SessionSecrets`) under the session id, for
    /// RP-Initiated Logout's `id_token_hint`. The store never sees it in clear.
    public var sealedIDToken: String? {
        get { storage.sealedIDToken }
        set { mutableStorage().sealedIDToken = newValue }
    }
    /// Groups from the provider's groups claim (`claim_groups`), as sent, for `allow group`
    /// and `X-Forwarded-Groups`; read only when some location needs them.
    public var groups: [String] {
        get { storage.groups }
        set { mutableStorage().groups = newValue }
    }
    /// GitHub teams read at sign-in, lowercased `org/team`, for `allow github_team`.
    public var teams: [String] {
        get { storage.teams }
        set { mutableStorage().teams = newValue }
    }
    /// The claims some `allow claim` / `deny claim` rule names, each as its values in text (a
    /// string claim is one value, an array claim each element).
    public var claims: [String: [String]] {
        get { storage.claims }
        set { mutableStorage().claims = newValue }
    }
    /// The provider's session id (OIDC `sid`), for back-channel logout; nil when none was given.
    public var sid: String? {
        get { storage.sid }
        set { mutableStorage().sid = newValue }
    }

    public init(
        userID: String, provider: String, subject: String, login: String? = nil, email: String? = nil,
        name: String? = nil, identities: [String], createdAt: Int64, expiresAt: Int64, lastSeenAt: Int64
    ) {
        storage = Storage(
            userID: userID, provider: provider, subject: subject, login: login, email: email, name: name,
            identities: identities, createdAt: createdAt, expiresAt: expiresAt, lastSeenAt: lastSeenAt)
    }

    /// The storage, first copied when another record shares it.
    private mutating func mutableStorage() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The same storage: equal, and `==` says so without comparing a field.
    public func sharesStorage(with other: SessionRecord) -> Bool { storage === other.storage }

    /// Records that share their storage are equal without comparing a field.
    public static func == (a: SessionRecord, b: SessionRecord) -> Bool {
        a.storage === b.storage || a.storage.sameFields(as: b.storage)
    }

    /// Thread-safety: `@unchecked Sendable` because a storage shared by two records is never
    /// written (`mutableStorage` copies it first), so it is read-only wherever it is shared.
    private final class Storage: @unchecked Sendable {

        var userID: String
        var provider: String
        var subject: String
        var login: String?
        var email: String?
        var emailVerified: Bool = false
        var name: String?
        var identities: [String]
        var createdAt: Int64
        var expiresAt: Int64
        var lastSeenAt: Int64
        var organizations: [String] = []
        var sealedTokens: String?
        var tokenExpiresAt: Int64?
        var clientAddress: String?
        var sealedIDToken: String?
        var groups: [String] = []
        var teams: [String] = []
        var claims: [String: [String]] = [:]
        var sid: String? = nil

        init(
            userID: String, provider: String, subject: String, login: String?, email: String?, name: String?,
            identities: [String], createdAt: Int64, expiresAt: Int64, lastSeenAt: Int64
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

        func copy() -> Storage {
            let c = Storage(
                userID: userID, provider: provider, subject: subject, login: login, email: email, name: name,
                identities: identities, createdAt: createdAt, expiresAt: expiresAt, lastSeenAt: lastSeenAt)
            c.emailVerified = emailVerified
            c.organizations = organizations
            c.sealedTokens = sealedTokens
            c.tokenExpiresAt = tokenExpiresAt
            c.clientAddress = clientAddress
            c.sealedIDToken = sealedIDToken
            c.groups = groups
            c.teams = teams
            c.claims = claims
            c.sid = sid
            return c
        }

        func sameFields(as o: Storage) -> Bool {
            userID == o.userID
                && provider == o.provider
                && subject == o.subject
                && login == o.login
                && email == o.email
                && emailVerified == o.emailVerified
                && name == o.name
                && identities == o.identities
                && createdAt == o.createdAt
                && expiresAt == o.expiresAt
                && lastSeenAt == o.lastSeenAt
                && organizations == o.organizations
                && sealedTokens == o.sealedTokens
                && tokenExpiresAt == o.tokenExpiresAt
                && clientAddress == o.clientAddress
                && sealedIDToken == o.sealedIDToken
                && groups == o.groups
                && teams == o.teams
                && claims == o.claims
                && sid == o.sid
        }
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
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(userID, forKey: .userID)
        try c.encode(provider, forKey: .provider)
        try c.encode(subject, forKey: .subject)
        try c.encodeIfPresent(login, forKey: .login)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encode(emailVerified, forKey: .emailVerified)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(identities, forKey: .identities)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(lastSeenAt, forKey: .lastSeenAt)
        try c.encode(organizations, forKey: .organizations)
        try c.encodeIfPresent(sealedTokens, forKey: .sealedTokens)
        try c.encodeIfPresent(tokenExpiresAt, forKey: .tokenExpiresAt)
        try c.encodeIfPresent(clientAddress, forKey: .clientAddress)
        try c.encodeIfPresent(sealedIDToken, forKey: .sealedIDToken)
        try c.encode(groups, forKey: .groups)
        try c.encode(teams, forKey: .teams)
        try c.encode(claims, forKey: .claims)
        try c.encodeIfPresent(sid, forKey: .sid)
    }

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
