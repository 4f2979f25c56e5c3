// Renews a session's access token once, however many requests, loops and instances ask at
// the same moment: one flight per session on this loop, one lease per session in the store.
import GatewayAuth
import GatewayCore
import GatewayCrypto
import GatewaySessions
import Logging

/// What a request on a `pass_access_token` location gets.
enum TokenOutcome {
    /// The tokens to send (nil: the session has none, e.g. it began before the location asked).
    case tokens(ProviderTokens?)
    /// The provider refused the refresh, or the token expired with no way to renew it: the
    /// session is over (the caller answers as for an expired one).
    case ended
    /// The token has expired and could not be renewed now (provider or store unreachable).
    case unavailable
}

/// One loop's refreshes. A request whose token is due joins the session's flight on this loop;
/// the flight takes the store's lease, re-reads the session (another loop or instance may have
/// renewed it), calls the provider, writes the new tokens, and serves every waiter. Without the
/// lease it polls the session until the holder's write shows, taking the lease itself if the
/// holder vanished, within `waitLimit`.
///
/// Thread-safety: `@unchecked Sendable`; used only on its loop's queue, like `SignInContext`.
final class TokenRefresher: @unchecked Sendable {
    /// Runs work on the loop's queue after some milliseconds.
    typealias Schedule = (_ milliseconds: Int, _ work: @escaping () -> Void) -> Void

    static let leaseMilliseconds = 10_000
    static let renewMilliseconds = 3_000
    static let pollMilliseconds = 100
    static let waitLimitMilliseconds: UInt64 = 15_000

    final class Flight {
        let owner = SecureRandom.token(bytes: 16)
        let provider: TokenRefreshing
        let providerName: String
        /// The sealed tokens the flight set out to replace, and what they hold.
        let sealedBefore: String
        let tokens: ProviderTokens
        let deadline: UInt64
        var waiters: [(TokenOutcome) -> Void] = []
        /// While the provider call runs, the lease is renewed.
        var calling = false

        init(provider: TokenRefreshing, name: String, sealed: String, tokens: ProviderTokens, deadline: UInt64) {
            (self.provider, providerName, sealedBefore, self.tokens, self.deadline) = (
                provider, name, sealed, tokens, deadline
            )
        }
    }

    let sessions: SessionStore
    /// Nil for a store without leases: flights then coordinate this loop only.
    let leases: ProviderTokenStore?
    let vault: ProviderTokenVault
    let clock: WallClock
    let log: Logger
    let providers: (String) -> TokenRefreshing?
    let ttl: (SessionRecord) -> Int
    /// Nil until the integrator gives one: waiting and lease renewal need the loop's timers.
    var schedule: Schedule?
    /// At most one flight per session on this loop.
    var flights: [SessionID: Flight] = [:]

    init(
        sessions: SessionStore, leases: ProviderTokenStore?, vault: ProviderTokenVault, clock: WallClock, log: Logger,
        providers: @escaping (String) -> TokenRefreshing?, ttl: @escaping (SessionRecord) -> Int
    ) {
        self.sessions = sessions
        self.leases = leases
        self.vault = vault
        self.clock = clock
        self.log = log
        self.providers = providers
        self.ttl = ttl
    }

    /// The tokens to send with a request of this session, renewed first when they are due.
    func tokens(for id: SessionID, record: SessionRecord, completion: @escaping (TokenOutcome) -> Void) {
        guard let sealed = record.sealedTokens else { return completion(.tokens(nil)) }
        let now = clock.unixSeconds()
        guard let (tokens, sealedAt) = vault.open(sealed, for: id, now: now) else {
            // Sealed under another cookie_secret, or tampered with: as if there were none.
            log.warning("a session's provider tokens do not open", metadata: ["provider": .string(record.provider)])
            return completion(.tokens(nil))
        }
        guard TokenRefreshTiming.isDue(expiresAt: record.tokenExpiresAt, issuedAt: sealedAt, now: now) else {
            return completion(.tokens(tokens))
        }
        guard tokens.refreshToken != nil, let provider = providers(record.provider) else {
            return completion(record.tokenExpiresAt.map { $0 > now } ?? true ? .tokens(tokens) : .ended)
        }
        if let flight = flights[id] {
            flight.waiters.append(completion)
            return
        }
        let flight = Flight(
            provider: provider, name: record.provider, sealed: sealed, tokens: tokens,
            deadline: clock.monotonicMilliseconds() + Self.waitLimitMilliseconds)
        flight.waiters.append(completion)
        flights[id] = flight
        attempt(id, flight)
    }

    // MARK: Steps

    /// Takes the lease, or waits for whoever holds it.
    private func attempt(_ id: SessionID, _ flight: Flight) {
        guard let leases else { return leased(id, flight) }
        leases.acquireRefreshLease(id, owner: flight.owner, milliseconds: Self.leaseMilliseconds) { [self] result in
            switch result {
            case .success(true): leased(id, flight)
            case .success(false): wait(id, flight)
            case .failure(let error):
                log.error("token refresh lease unavailable", metadata: ["error": .string(error.description)])
                finish(id, flight, fallback(flight))
            }
        }
    }

    /// Someone else is renewing: re-read the session until their write shows.
    private func wait(_ id: SessionID, _ flight: Flight) {
        guard let schedule, clock.monotonicMilliseconds() < flight.deadline else {
            return finish(id, flight, fallback(flight))
        }
        schedule(Self.pollMilliseconds) { [self] in
            sessions.load(id) { [self] result in
                switch result {
                case .failure: finish(id, flight, fallback(flight))
                case .success(nil): finish(id, flight, .ended)
                case .success(let record?) where record.sealedTokens != flight.sealedBefore:
                    finish(id, flight, served(record, id))
                case .success: attempt(id, flight)  // still the old tokens: the holder may be gone
                }
            }
        }
    }

    /// With the lease: the session as it is now decides whether the provider is called at all.
    private func leased(_ id: SessionID, _ flight: Flight) {
        sessions.load(id) { [self] result in
            switch result {
            case .failure:
                release(id, flight)
                finish(id, flight, fallback(flight))
            case .success(nil):
                release(id, flight)
                finish(id, flight, .ended)
            case .success(let record?) where record.sealedTokens != flight.sealedBefore:
                release(id, flight)
                finish(id, flight, served(record, id))
            case .success(let record?):
                callProvider(id, flight, record)
            }
        }
    }

    private func callProvider(_ id: SessionID, _ flight: Flight, _ record: SessionRecord) {
        flight.calling = true
        keepRenewing(id, flight)
        flight.provider.refresh(flight.tokens) { [self] result in
            flight.calling = false
            switch result {
            case .success(let renewed):
                store(renewed, id, flight, record)
            case .failure(let error) where error.refusesGrant:
                log.info(
                    "provider refused the token refresh; the session ends",
                    metadata: ["provider": .string(flight.providerName)])
                sessions.delete(id) { [self] _ in
                    release(id, flight)
                    finish(id, flight, .ended)
                }
            case .failure(let error):
                log.warning(
                    "token refresh failed; the current token is kept until it expires",
                    metadata: ["provider": .string(flight.providerName), "reason": .string(error.description)])
                release(id, flight)
                finish(id, flight, fallback(flight))
            }
        }
    }

    /// Writes the renewed tokens over the ones the flight replaced, then serves them.
    private func store(_ renewed: ProviderTokens, _ id: SessionID, _ flight: Flight, _ record: SessionRecord) {
        let now = clock.unixSeconds()
        var updated = record
        vault.keep(renewed, in: &updated, for: id, now: now)
        updated.lastSeenAt = now
        let written: (Result<Bool, StoreError>) -> Void = { [self] result in
            release(id, flight)
            switch result {
            case .success(true):
                log.info("provider token refreshed", metadata: ["provider": .string(flight.providerName)])
                finish(id, flight, .tokens(renewed))
            case .success(false):
                // Signed out (or written by another) while the provider answered.
                sessions.load(id) { [self] reread in
                    guard case .success(let now?) = reread else { return finish(id, flight, .ended) }
                    finish(id, flight, served(now, id))
                }
            case .failure(let error):
                log.error("renewed provider tokens not stored", metadata: ["error": .string(error.description)])
                finish(id, flight, .tokens(renewed))
            }
        }
        if let leases {
            leases.updateIfTokensUnchanged(
                id, updated, expectedTokens: flight.sealedBefore, ttlSeconds: ttl(updated), completion: written)
        } else {
            sessions.update(id, updated, ttlSeconds: ttl(updated), completion: written)
        }
    }
}
