// One loop's sign-in machinery: providers, stores, cookie codecs and the settings they need.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayCrypto
import GatewayHTTP
import GatewaySessions
import Logging

/// Thread-safety: `@unchecked Sendable` because it is used only on its loop's queue (the memory
/// stores it may share with other loops lock for themselves).
public final class SignInContext: @unchecked Sendable {
    let prefix: String
    let prefixBytes: [UInt8]
    let publicURL: PublicURL
    let cookieName: String
    /// `cookieName` as bytes, for finding the cookie on every request.
    let cookieNameBytes: [UInt8]
    let sessionCodec: SignedValue
    /// Sign-in attempts travel sealed in the browser; the gateway keeps nothing per start.
    let stateCookies: SignInStateCookies
    /// Seals the provider's ID token into the session record, bound to the session id.
    let idTokenSeal: SealedValue
    /// The account page's names for sessions (never the ids themselves).
    let sessionHandles: SessionHandles
    /// `end_provider_session on`: sign-out also ends the provider's session where it can.
    let endProviderSession: Bool
    /// `post_logout_redirect_uri`: where the provider sends the browser back to.
    let postLogoutRedirectURI: String
    let lifetime: Int64
    let idleTimeout: Int64
    let autoRedirect: Bool
    /// `verify_redirect on`: `/auth/verify` sends browsers to sign in instead of answering 401.
    let verifyRedirect: Bool
    let providers: [SignInProvider]
    let sessions: SessionStore
    /// `sessions` when it can answer a load at once (the local cache, the memory store): the
    /// request gate's fast path (`SignInContext+Gate`).
    let immediateSessions: ImmediateSessionLookup?
    let identities: IdentityStore
    /// The identity header blocks of this loop's recent sessions (`IdentityBlockCache`).
    let identityBlocks = IdentityBlockCache()
    let log: Logger
    /// Session stamps, expiry and sign-in attempt ages read it.
    let clock: WallClock
    /// Hears how each sign-in callback ended (provider, outcome word): the metrics' hook.
    public var onSignIn: ((_ provider: String, _ outcome: String) -> Void)?
    /// Some location has `pass_access_token on`: sessions then keep the provider's tokens.
    let keepsProviderTokens: Bool
    let tokenVault: ProviderTokenVault
    /// Leases and guarded writes for sessions with tokens (nil: a store without them).
    let tokenStore: ProviderTokenStore?
    /// Single-flight refreshes of this loop (`TokenRefresher`).
    private(set) lazy var tokenRefresher = TokenRefresher(
        sessions: sessions, leases: tokenStore, vault: tokenVault, clock: clock, log: log,
        providers: { [unowned self] name in provider(named: name) as? TokenRefreshing },
        ttl: { [unowned self] record in ttl(for: record) })
    /// The loop's timers, for token refreshes that wait on another instance; set by the integrator.
    public var schedule: ((_ milliseconds: Int, _ work: @escaping () -> Void) -> Void)? {
        get { tokenRefresher.schedule }
        set { tokenRefresher.schedule = newValue }
    }
    /// `accept bearer` verifiers of this loop, one per issuer and audience (set by the assembly).
    public var bearerVerifiers: [BearerConfig: BearerTokenVerifier] = [:]
    /// The signed identity assertion, when any location sends it (set by the assembly).
    public var assertion: IdentityAssertion?
    /// A session's last-seen time is written at most this often (sliding idle timeout).
    static let touchInterval: Int64 = 60
    /// "session store unavailable" lines: a Redis outage under load logs a few, not one a request.
    let storeFailureReports = ThrottledCount(intervalNanoseconds: 10_000_000_000)

    public init(
        config: GatewayConfiguration, providers: [SignInProvider], sessions: SessionStore, identities: IdentityStore,
        log: Logger, clock: WallClock = SystemClock(), tokenStore: ProviderTokenStore? = nil
    ) {
        prefix = config.authPrefix
        prefixBytes = Array(config.authPrefix.utf8)
        publicURL = config.publicURL ?? PublicURL(isHTTPS: false, host: "127.0.0.1", port: nil)
        let names = Self.cookieNames(config.session.cookieName, https: config.publicURL?.isHTTPS ?? false)
        cookieName = names.session
        cookieNameBytes = Array(names.session.utf8)
        let secret = config.session.cookieSecret ?? ""
        sessionCodec = SignedValue(secret: secret, purpose: "session")
        stateCookies = SignInStateCookies(
            secret: secret, stateName: names.state, prefix: config.authPrefix, secure: publicURL.isHTTPS)
        lifetime = Int64(config.session.lifetime.components.seconds)
        idTokenSeal = SealedValue(
            secret: secret, purpose: "session id token", maxAge: lifetime + SealedValue.allowedSkew)
        sessionHandles = SessionHandles(secret: secret)
        endProviderSession = config.endProviderSession
        postLogoutRedirectURI =
            publicURL.description + (config.postLogoutRedirect ?? config.authPrefix + "/sign_in?flash=signed_out")
        idleTimeout = Int64(config.session.idleTimeout.components.seconds)
        autoRedirect = config.autoRedirect
        verifyRedirect = config.verifyRedirect
        self.providers = providers
        self.sessions = sessions
        immediateSessions = sessions as? ImmediateSessionLookup
        self.identities = identities
        self.log = log
        self.clock = clock
        keepsProviderTokens = config.locations.contains { $0.passAccessToken }
        tokenVault = ProviderTokenVault(secret: secret, lifetime: lifetime)
        self.tokenStore = tokenStore ?? (sessions as? ProviderTokenStore)
    }

    var secureCookies: Bool { publicURL.isHTTPS }

    /// Over https the session cookie and the attempt cookies' base are `__Host-` prefixed: a browser then accepts them only with
    /// Secure, Path=/ and no Domain, so a sibling subdomain (or a plain-http page of this host)
    /// cannot plant or overwrite them (cookie tossing, session fixation). A name the operator
    /// already prefixed is kept as it is.
    static func cookieNames(_ base: String, https: Bool) -> (session: String, state: String) {
        guard https, !base.hasPrefix("__Host-") else { return (base, base + "_state") }
        return ("__Host-" + base, "__Host-" + base + "_state")
    }

    func provider(named name: String) -> SignInProvider? {
        providers.first { $0.name == name }
    }

    func redirectURI(for provider: SignInProvider) -> String {
        publicURL.description + prefix + "/" + provider.name + "/callback"
    }

    func now() -> Int64 { clock.unixSeconds() }

    /// Where an unauthenticated browser goes: the sign-in page, or straight to the only provider.
    func signInLocation(next: String) -> String {
        let encoded = HTTPText.encode(next)
        if autoRedirect, providers.count == 1 {
            return prefix + "/" + providers[0].name + "?next=" + encoded
        }
        return prefix + "/sign_in?next=" + encoded
    }

    /// Cookies whose MAC held, with their ids: a MAC check always gives the same answer, so
    /// the work (base64, HMAC) is done once per cookie. Only successes are kept, so a forged
    /// cookie can never enter; the map is bounded and simply cleared when full.
    private var verifiedCookies: [String: SessionID] = [:]
    private static let verifiedCookieLimit = 10_000

    /// The session id inside a request's cookie, when its MAC holds.
    func sessionID(in headers: HTTPHeaders) -> SessionID? {
        guard let cookie = HTTPText.cookie(cookieNameBytes, in: headers) else { return nil }
        if let known = verifiedCookies[cookie] { return known }
        guard let value = sessionCodec.verify(cookie), let id = SessionID(value) else { return nil }
        if verifiedCookies.count >= Self.verifiedCookieLimit { verifiedCookies.removeAll(keepingCapacity: true) }
        verifiedCookies[cookie] = id
        return id
    }

    func sessionCookie(_ id: SessionID) -> String {
        HTTPText.setCookie(name: cookieName, value: sessionCodec.sign(id.value), maxAge: Int(lifetime), secure: secureCookies)
    }

    var clearedSessionCookie: String {
        HTTPText.setCookie(name: cookieName, value: "", maxAge: 0, secure: secureCookies)
    }

    /// Ends the browser's cookie for a finished (or refused) attempt.
    func clearedStateCookie(for attempt: AuthStateRecord) -> String {
        stateCookies.cleared(provider: attempt.provider, key: attempt.state)
    }

    /// A new session for a user who just signed in with `identity` (its email normalised), from
    /// `clientAddress`; its ID token is sealed under `id`.
    func newSession(
        id: SessionID, user: UserRecord, identity: VerifiedIdentity, clientAddress: String?
    ) -> SessionRecord {
        let now = now()
        let (email, verified) = Self.sessionEmail(user: user, identity: identity)
        var record = SessionRecord(
            userID: user.id, provider: identity.provider, subject: identity.subject, login: identity.login,
            email: email, name: identity.name ?? user.name,
            identities: user.identities.map { "\($0.provider):\($0.subject)" }, createdAt: now,
            expiresAt: now + lifetime, lastSeenAt: now)
        record.emailVerified = verified
        record.organizations = identity.organizations.map { $0.lowercased() }
        record.clientAddress = clientAddress
        record.sealedIDToken = identity.idToken.map { idTokenSeal.seal(Array($0.utf8), binding: id.value, now: now) }
        record.groups = identity.groups
        record.teams = identity.teams.map { $0.lowercased() }
        record.claims = identity.claims
        record.sid = identity.sid
        return record
    }

    /// This sign-in's verified email; else the user's own (only ever a verified one, normalised
    /// again for users stored before normalisation); else this sign-in's unverified one.
    static func sessionEmail(user: UserRecord, identity: VerifiedIdentity) -> (String?, Bool) {
        if identity.emailVerified, let email = identity.email { return (email, true) }
        if let owned = EmailAddress.normalized(user.email) { return (owned, true) }
        return (identity.email, false)
    }

    /// Seconds a session should live in the store from now: until its idle or absolute end.
    func ttl(for record: SessionRecord) -> Int {
        Int(max(1, min(record.expiresAt - now(), idleTimeout)))
    }
}
