// The single-flight refresh without sockets: memory store, manual clock and timers, a provider
// whose answers the test releases one by one.
import GatewayAuth
import GatewayCore
import GatewaySessions
import XCTest

@testable import GatewaySignIn

/// Holds each refresh until the test answers it; counts the calls.
final class HeldRefreshProvider: TokenRefreshing {
    private(set) var calls: [ProviderTokens] = []
    private var pending: [(Result<ProviderTokens, AuthError>) -> Void] = []

    func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        calls.append(tokens)
        pending.append(completion)
    }

    func answer(_ result: Result<ProviderTokens, AuthError>) {
        pending.removeFirst()(result)
    }
}

final class TokenRefresherTests: XCTestCase {
    private var clock: ManualClock!
    private var store: MemoryStore!
    private var provider: HeldRefreshProvider!
    private var timers: [() -> Void] = []
    private let vault = ProviderTokenVault(secret: "0123456789abcdef0123456789abcdef-test", lifetime: 3600)
    private let id = SessionID.generate()
    private let old = ProviderTokens(accessToken: "at-old", refreshToken: "rt-old")
    private let new = ProviderTokens(accessToken: "at-new", refreshToken: "rt-new")

    override func setUp() {
        clock = ManualClock(unixSeconds: 1_700_000_000)
        store = MemoryStore(clock: clock)
        provider = HeldRefreshProvider()
        timers = []
    }

    /// One loop's refresher; every loop shares the store, as in the gateway.
    private func loop() -> TokenRefresher {
        let refresher = TokenRefresher(
            sessions: store, leases: store, vault: vault, clock: clock, log: .init(label: "test"),
            providers: { [provider] name in name == "corp" ? provider : nil }, ttl: { _ in 600 })
        refresher.schedule = { [unowned self] _, work in timers.append(work) }
        return refresher
    }

    /// A session whose tokens (issued now) expire in `lifetime` seconds.
    @discardableResult
    private func saveSession(_ tokens: ProviderTokens, lifetime: Int64 = 40) -> SessionRecord {
        var tokens = tokens
        let now = clock.unixSeconds()
        tokens.expiresAt = now + lifetime
        var record = SessionRecord(
            userID: "u_1", provider: "corp", subject: "1", identities: ["corp:1"], createdAt: now,
            expiresAt: now + 3600,
            lastSeenAt: now)
        vault.keep(tokens, in: &record, for: id, now: now)
        store.save(id, record, ttlSeconds: 600) { _ in }
        return record
    }

    private func stored() -> SessionRecord? {
        var out: SessionRecord?
        store.load(id) { out = try? $0.get() }
        return out
    }

    private func ask(_ refresher: TokenRefresher, _ record: SessionRecord) -> () -> TokenOutcome? {
        var outcome: TokenOutcome?
        refresher.tokens(for: id, record: record) { outcome = $0 }
        return { outcome }
    }

    private func token(_ outcome: TokenOutcome?) -> String? {
        if case .tokens(let t?)? = outcome { return t.accessToken }
        return nil
    }

    private func runTimers() {
        let due = timers
        timers = []
        for work in due { work() }
    }

    func testATokenNotYetDueIsSentWithoutACall() {
        let record = saveSession(old)
        clock.advance(seconds: 29)  // 11 s left of 40: more than a quarter
        XCTAssertEqual(token(ask(loop(), record)()), "at-old")
        XCTAssertTrue(provider.calls.isEmpty)
    }

    func testRequestsOnOneLoopShareOneRefreshAndTheStoreKeepsTheNewTokens() throws {
        let record = saveSession(old)
        clock.advance(seconds: 31)
        let refresher = loop()
        let answers = (0..<3).map { _ in ask(refresher, record) }
        XCTAssertEqual(provider.calls.map(\.refreshToken), ["rt-old"], "one call for three requests")
        XCTAssertTrue(answers.allSatisfy { $0() == nil }, "they wait for it")
        var renewed = new
        renewed.expiresAt = clock.unixSeconds() + 40
        provider.answer(.success(renewed))
        XCTAssertEqual(answers.map { token($0()) }, ["at-new", "at-new", "at-new"])
        let after = try XCTUnwrap(stored())
        XCTAssertEqual(after.tokenExpiresAt, renewed.expiresAt)
        XCTAssertEqual(
            vault.open(try XCTUnwrap(after.sealedTokens), for: id, now: clock.unixSeconds())?.tokens, renewed)
        XCTAssertFalse(after.sealedTokens!.contains("at-new"))
        XCTAssertTrue(refresher.flights.isEmpty)
        // The lease was released: the next refresh can take it.
        var taken: Bool?
        store.acquireRefreshLease(id, owner: "next", milliseconds: 1000) { taken = try? $0.get() }
        XCTAssertEqual(taken, true)
    }

    func testAnotherLoopWaitsForTheLeaseHoldersWriteAndCallsNobody() {
        let record = saveSession(old)
        clock.advance(seconds: 31)
        let (a, b) = (loop(), loop())
        let first = ask(a, record)
        let second = ask(b, record)
        XCTAssertEqual(provider.calls.count, 1)
        runTimers()  // b polls: still the old tokens, and the lease is held
        XCTAssertNil(second())
        XCTAssertEqual(provider.calls.count, 1)
        provider.answer(.success(new))
        runTimers()
        XCTAssertEqual(token(first()), "at-new")
        XCTAssertEqual(token(second()), "at-new", "served from the session a wrote")
        XCTAssertEqual(provider.calls.count, 1)
    }

    func testAWaiterTakesOverWhenTheHolderVanished() {
        let record = saveSession(old)
        clock.advance(seconds: 31)
        var held: Bool?
        store.acquireRefreshLease(id, owner: "crashed", milliseconds: 500) { held = try? $0.get() }
        XCTAssertEqual(held, true)
        let answer = ask(loop(), record)
        XCTAssertTrue(provider.calls.isEmpty)
        clock.advance(seconds: 1)  // the crashed holder's lease runs out
        runTimers()
        XCTAssertEqual(provider.calls.count, 1)
        provider.answer(.success(new))
        XCTAssertEqual(token(answer()), "at-new")
    }

    func testARefusedRefreshEndsTheSession() {
        let record = saveSession(old)
        clock.advance(seconds: 31)
        let answer = ask(loop(), record)
        provider.answer(.failure(.providerError("invalid_grant")))
        guard case .ended? = answer() else {
            return XCTFail("expected the session to end, got \(String(describing: answer()))")
        }
        XCTAssertNil(stored())
    }

    func testAnUnreachableProviderKeepsTheTokenUntilItExpires() {
        let record = saveSession(old)
        clock.advance(seconds: 31)
        let early = ask(loop(), record)
        provider.answer(.failure(.tokenExchangeFailed(status: nil)))
        XCTAssertEqual(token(early()), "at-old")
        XCTAssertNotNil(stored(), "the session stands")
        clock.advance(seconds: 10)  // expired now
        let late = ask(loop(), record)
        provider.answer(.failure(.tokenExchangeFailed(status: 503)))
        guard case .unavailable? = late() else {
            return XCTFail("expected unavailable, got \(String(describing: late()))")
        }
    }

    func testWithoutARefreshTokenAnExpiredTokenEndsTheSession() {
        let record = saveSession(ProviderTokens(accessToken: "at-only"))
        clock.advance(seconds: 39)
        XCTAssertEqual(token(ask(loop(), record)()), "at-only", "due, but it cannot be renewed: sent while it lasts")
        clock.advance(seconds: 1)
        guard case .ended? = ask(loop(), record)() else { return XCTFail("expected the session to end") }
        XCTAssertTrue(provider.calls.isEmpty)
    }

    func testSealedTokensOpenOnlyInTheirOwnSession() {
        let record = saveSession(old)
        let copied = record  // the same sealed blob, presented for another session
        let other = SessionID.generate()
        XCTAssertNil(vault.open(record.sealedTokens!, for: other, now: clock.unixSeconds()))
        XCTAssertNil(
            ProviderTokenVault(secret: "another-secret-0123456789abcdef-xyz", lifetime: 3600).open(
                record.sealedTokens!, for: id, now: clock.unixSeconds()))
        var outcome: TokenOutcome?
        loop().tokens(for: other, record: copied) { outcome = $0 }
        guard case .tokens(nil)? = outcome else { return XCTFail("a copied blob must not open") }
    }

    func testTheRefreshMarginIsAQuarterOfTheLifetimeAtMostAMinute() {
        XCTAssertFalse(TokenRefreshTiming.isDue(expiresAt: nil, issuedAt: 0, now: 1_000_000))
        XCTAssertFalse(TokenRefreshTiming.isDue(expiresAt: 4, issuedAt: 0, now: 2))
        XCTAssertTrue(TokenRefreshTiming.isDue(expiresAt: 4, issuedAt: 0, now: 3))
        XCTAssertFalse(TokenRefreshTiming.isDue(expiresAt: 3600, issuedAt: 0, now: 3539))
        XCTAssertTrue(TokenRefreshTiming.isDue(expiresAt: 3600, issuedAt: 0, now: 3540))
        XCTAssertTrue(TokenRefreshTiming.isDue(expiresAt: 1, issuedAt: 0, now: 0), "at least one second")
        XCTAssertTrue(TokenRefreshTiming.isDue(expiresAt: 10, issuedAt: 0, now: 50), "long expired")
    }
}
