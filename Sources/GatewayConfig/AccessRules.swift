// A location's `allow` and `deny` rules compiled once at load into sets the gate reads.

/// The rules of one location, by kind, so a request checks each kind with a hash lookup instead
/// of walking the rule list and lowercasing values. Evaluation (`AccessPolicy` in
/// GatewaySignIn) allocates nothing: every value here is already in the form sessions hold.
///
/// Order: a matching `deny` refuses, whatever `allow` says; then any matching `allow` admits;
/// a location without `allow` admits every signed-in user.
public struct AccessRules: Sendable, Hashable {
    /// One list of rules (all `allow`, or all `deny`) by kind; any one match counts.
    public struct RuleSet: Sendable, Hashable {
        /// `any`: every signed-in user.
        public var anyone = false
        /// Lowercased, ASCII only (sessions hold normalised emails).
        public var emails: Set<String> = []
        /// Lowercased, without `@`; compared with the part of the email after its last `@`.
        public var emailDomains: Set<Substring> = []
        public var providers: Set<String> = []
        public var users: Set<String> = []
        /// Lowercased (GitHub organisation logins are case-insensitive; sessions hold them lowercased).
        public var organizations: Set<String> = []
        /// As written: group names are compared exactly, as the provider sends them.
        public var groups: Set<String> = []
        /// Lowercased `org/team`.
        public var teams: Set<String> = []
        /// Claim name → accepted values, compared exactly.
        public var claims: [String: Set<String>] = [:]
        /// No rule at all.
        public private(set) var isEmpty = true

        public init(_ rules: [AllowRule] = []) {
            for rule in rules { add(rule) }
        }

        mutating func add(_ rule: AllowRule) {
            isEmpty = false
            switch rule {
            case .anyone: anyone = true
            case .email(let address): emails.insert(Self.asciiLowercased(address))
            case .emailDomain(let domain): emailDomains.insert(Substring(Self.asciiLowercased(domain)))
            case .provider(let name): providers.insert(name)
            case .user(let id): users.insert(id)
            case .githubOrg(let org): organizations.insert(org.lowercased())
            case .group(let name): groups.insert(name)
            case .githubTeam(let team): teams.insert(team.lowercased())
            case .claim(let name, let value): claims[name, default: []].insert(value)
            }
        }

        /// Only A-Z change: Unicode case mapping could make two different addresses equal.
        public static func asciiLowercased(_ s: String) -> String {
            String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
    }

    public let allow: RuleSet
    public let deny: RuleSet

    public init(allow: [AllowRule], deny: [AllowRule] = []) {
        self.allow = RuleSet(allow)
        self.deny = RuleSet(deny)
    }

    /// Whether some rule (allow or deny) reads the groups claim.
    public var readsGroups: Bool { !allow.groups.isEmpty || !deny.groups.isEmpty }
    /// Whether some rule reads GitHub teams.
    public var readsTeams: Bool { !allow.teams.isEmpty || !deny.teams.isEmpty }
    /// Whether some rule reads GitHub organisations.
    public var readsOrganizations: Bool { !allow.organizations.isEmpty || !deny.organizations.isEmpty }
    /// Every claim name some rule compares: the only claims a session keeps.
    public var claimNames: Set<String> { Set(allow.claims.keys).union(deny.claims.keys) }
}
