// The sign-in attempt in the browser: one sealed cookie per attempt, named after its state.
import GatewayAuth
import GatewayCrypto
import GatewayHTTP

/// Each start sets `NAME_state_<8 chars>` (derived from the state) with `Path=PREFIX/PROVIDER`,
/// so the cookie reaches only that provider's start and callback, and parallel tabs each keep
/// their own attempt. Over https the names are `__Host-` prefixed, which browsers accept only
/// with Path=/: a sibling subdomain then cannot plant an attempt of its own (login CSRF), and
/// the proxy strips these cookies from what it sends upstream. At most `parallelLimit` live per provider: a start clears the oldest
/// beyond that (and any that no longer open), which keeps the Cookie field far below the head
/// limit. Nothing is stored server-side, so a flood of starts costs no memory.
///
/// Thread-safety: immutable.
struct SignInStateCookies: Sendable {
    static let parallelLimit = 4
    /// A longer `next` is replaced by `/`: it would push the cookie towards the 4 KiB limit.
    static let nextLimit = 1024

    private let sealer: SealedValue
    private let prefix: String
    private let namePrefix: String
    private let secure: Bool
    /// `__Host-` names: Path=/ for every attempt.
    private let hostOnly: Bool

    /// `stateName` is the base of the attempt cookies' names (`__gateway_state`, or
    /// `__Host-__gateway_state` over https); each attempt appends `_` and 8 characters.
    init(secret: String, stateName: String, prefix: String, secure: Bool) {
        sealer = SealedValue(
            secret: secret, purpose: "sign-in state", maxAge: Int64(AuthStateRecord.lifetimeSeconds))
        self.prefix = prefix
        namePrefix = stateName + "_"
        self.secure = secure
        hostOnly = stateName.hasPrefix("__Host-")
    }

    /// The cookie that carries the attempt whose state (or OAuth 1.0a request token) is `key`.
    /// A hash, not the key's own first characters, because some servers' tokens share a prefix.
    func name(for key: String) -> String {
        let digest = MessageAuthentication.hmacSHA256(
            key: Array("gateway state cookie name".utf8), message: Array(key.utf8))
        return namePrefix + Base64URL.encode(Array(digest.prefix(6)))
    }

    func setCookie(for record: AuthStateRecord, now: Int64) -> String {
        var record = record
        if record.next.utf8.count > Self.nextLimit { record.next = "/" }
        let name = name(for: record.state)
        return HTTPText.setCookie(
            name: name, value: sealer.seal(record.encoded(), binding: name, now: now),
            maxAge: AuthStateRecord.lifetimeSeconds, secure: secure, path: path(record.provider))
    }

    func cleared(provider: String, key: String) -> String {
        cleared(provider: provider, name: name(for: key))
    }

    enum Lookup: Equatable {
        /// No cookie for this state: another browser's attempt, or a forged callback.
        case missing
        /// A cookie that no longer opens: expired, or made under another secret.
        case unusable
        case found(AuthStateRecord)
    }

    /// The attempt the callback's `key` names, when this browser holds it.
    func lookup(key: String, in headers: HTTPHeaders, now: Int64) -> Lookup {
        guard !key.isEmpty else { return .missing }
        let name = name(for: key)
        guard let value = HTTPText.cookie(name, in: headers) else { return .missing }
        guard let opened = sealer.open(value, binding: name, now: now),
            let record = AuthStateRecord(decoding: opened.payload, createdAt: opened.createdAt)
        else { return .unusable }
        // The name is a short hash: only the full state, compared in constant time, proves it.
        guard MessageAuthentication.constantTimeEquals(Array(record.state.utf8), Array(key.utf8)) else {
            return .missing
        }
        return .found(record)
    }

    /// Set-Cookie lines a new start for `provider` sends first: every state cookie that does
    /// not open, and the oldest live ones so that, with the new one, at most `parallelLimit` stay.
    func evictions(provider: String, in headers: HTTPHeaders, now: Int64) -> [String] {
        var live: [(name: String, createdAt: Int64)] = []
        var clear: [String] = []
        for (name, value) in HTTPText.cookies(prefixed: namePrefix, in: headers) {
            if let opened = sealer.open(value, binding: name, now: now) {
                live.append((name, opened.createdAt))
            } else {
                clear.append(name)
            }
        }
        let excess = live.count - (Self.parallelLimit - 1)
        if excess > 0 {
            clear += live.sorted { $0.createdAt < $1.createdAt }.prefix(excess).map(\.name)
        }
        return clear.map { cleared(provider: provider, name: $0) }
    }

    private func cleared(provider: String, name: String) -> String {
        HTTPText.setCookie(name: name, value: "", maxAge: 0, secure: secure, path: path(provider))
    }

    private func path(_ provider: String) -> String { hostOnly ? "/" : prefix + "/" + provider }
}
