// `pass_access_token` through sign-in, the gate and /auth/verify, without sockets: the memory
// store, a provider whose sign-in returns tokens, a manual clock.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayProxy
import GatewaySessions
import GatewayTestSupport
import XCTest

@testable import GatewaySignIn

final class PassAccessTokenFlowTests: XCTestCase {
    private var clock: ManualClock!
    private var store: MemoryStore!
    private var signIn: SignInContext!
    private var config: GatewayConfiguration!

    private func start(locations: String) throws {
        config = try ConfigLoader.load(
            text: """
                listen 127.0.0.1:8080;
                public_url http://gateway.test;
                trusted_proxies 127.0.0.1;
                upstream app { server 127.0.0.1:3000; }
                session { cookie_name __gw; cookie_secret 0123456789abcdef0123456789abcdef-test; }
                provider github { client_id x; client_secret y; }
                \(locations)
                """, file: "test.conf")
        clock = ManualClock(unixSeconds: 1_700_000_000)
        store = MemoryStore(clock: clock)
        let provider = FakeSignInProvider()
        provider.identity.tokens = ProviderTokens(
            accessToken: "gho-access-1", tokenSecret: "secret-1", expiresAt: clock.unixSeconds() + 3600)
        signIn = SignInContext(
            config: config, providers: [provider], sessions: store, identities: store, log: .init(label: "test"),
            clock: clock)
    }

    private let both = """
        location /token/ { pass_access_token on; proxy_pass app; }
        location / { proxy_pass app; }
        """

    private func answer(_ raw: String) throws -> LocalResponse {
        let head = try XCTUnwrap(parsedHead(raw))
        var answers: [LocalResponse] = []
        let config = self.config!
        signIn.answer(
            LocalRequest(
                head: head, target: head.path, peerHost: "127.0.0.1", peerTrusted: true,
                locate: { target in
                    let path = String(decoding: target, as: UTF8.self)
                    return .location(config.locations.first { path.hasPrefix($0.prefix) }!)
                })
        ) { answers.append($0) }
        XCTAssertEqual(answers.count, 1)
        return try XCTUnwrap(answers.first)
    }

    /// Signs in; the session cookie's `name=value` and the session id.
    private func signedIn() throws -> (cookie: String, id: SessionID) {
        let start = try answer("GET /auth/github?next=/token/ HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
        let attempt = try XCTUnwrap(start.headers.last { $0.0 == "Set-Cookie" }?.1.prefix { $0 != ";" })
        let done = try answer(
            "GET /auth/github/callback?state=\(FakeSignInProvider.key)&code=good HTTP/1.1\r\nHost: gateway.test\r\n"
                + "Cookie: \(attempt)\r\n\r\n")
        let cookie = String(try XCTUnwrap(done.headers.first { $0.1.hasPrefix("__gw=") }?.1.prefix { $0 != ";" }))
        let id = try XCTUnwrap(SessionID(String(cookie.dropFirst(5).prefix { $0 != "." })))
        return (cookie, id)
    }

    private func block(_ prefix: String, _ cookie: String) throws -> String {
        let head = try XCTUnwrap(
            parsedHead("GET \(prefix)x HTTP/1.1\r\nHost: gateway.test\r\nCookie: \(cookie)\r\n\r\n"))
        var decisions: [GateDecision] = []
        signIn.check(head, location: try XCTUnwrap(config.locations.first { $0.prefix == prefix })) {
            decisions.append($0)
        }
        guard case .allow(let block, _)? = decisions.first else { throw TestFailure("not let through") }
        return String(decoding: block, as: UTF8.self)
    }

    private func stored(_ id: SessionID) -> SessionRecord? {
        var out: SessionRecord?
        store.load(id) { out = try? $0.get() }
        return out
    }

    func testTheLocationThatAsksGetsTheTokenAndItsSecretAndTheStoreHoldsThemSealed() throws {
        try start(locations: both)
        let (cookie, id) = try signedIn()
        let sent = try block("/token/", cookie)
        XCTAssertTrue(sent.contains("X-Auth-Access-Token: gho-access-1\r\n"), sent)
        XCTAssertTrue(sent.contains("X-Auth-Access-Token-Secret: secret-1\r\n"), sent)
        XCTAssertFalse(try block("/", cookie).contains("Access-Token"), "only where it is asked for")
        let record = try XCTUnwrap(stored(id))
        XCTAssertEqual(record.tokenExpiresAt, clock.unixSeconds() + 3600)
        let json = String(decoding: record.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"sealedTokens\":"), json)
        XCTAssertFalse(json.contains("gho-access-1") || json.contains("secret-1"), json)
    }

    func testForwardAuthAnswersWithTheTokenHeaders() throws {
        try start(locations: both)
        let (cookie, _) = try signedIn()
        let verified = try answer(
            "GET /auth/verify HTTP/1.1\r\nHost: gateway.test\r\nX-Original-URI: /token/a\r\nCookie: \(cookie)\r\n\r\n")
        XCTAssertEqual(verified.status, 200)
        XCTAssertTrue(
            verified.headers.contains { $0 == ("X-Auth-Access-Token", "gho-access-1") }, "\(verified.headers)")
        let other = try answer(
            "GET /auth/verify HTTP/1.1\r\nHost: gateway.test\r\nX-Original-URI: /a\r\nCookie: \(cookie)\r\n\r\n")
        XCTAssertFalse(other.headers.contains { $0.0.hasPrefix("X-Auth-Access-Token") }, "\(other.headers)")
    }

    func testWithoutAnyPassAccessTokenSessionsKeepNoTokens() throws {
        try start(locations: "location / { proxy_pass app; }")
        let (_, id) = try signedIn()
        let record = try XCTUnwrap(stored(id))
        XCTAssertNil(record.sealedTokens)
        XCTAssertNil(record.tokenExpiresAt)
    }

    func testAnExpiredTokenWithoutARefreshTokenEndsTheSessionAtTheGate() throws {
        try start(locations: both)
        let (cookie, id) = try signedIn()
        clock.advance(seconds: 3600)
        let head = try XCTUnwrap(
            parsedHead("GET /token/x HTTP/1.1\r\nHost: gateway.test\r\nAccept: text/html\r\nCookie: \(cookie)\r\n\r\n"))
        var decisions: [GateDecision] = []
        signIn.check(head, location: config.locations[0]) { decisions.append($0) }
        guard case .answer(let response)? = decisions.first else { return XCTFail("let through with an expired token") }
        XCTAssertEqual(response.status, 302)
        XCTAssertNil(stored(id), "the session is over")
    }

    func testTheIdleTouchOfASessionWithTokensNeverPutsBackReplacedTokens() throws {
        try start(locations: both)
        let (cookie, id) = try signedIn()
        let signedInRecord = try XCTUnwrap(stored(id))
        clock.advance(seconds: SignInContext.touchInterval)
        _ = try block("/", cookie)
        XCTAssertEqual(stored(id)?.lastSeenAt, clock.unixSeconds(), "the touch is written over the same tokens")
        // Another instance refreshed after this loop read the session: the touch from that
        // older read must not put the used refresh token back.
        var refreshed = try XCTUnwrap(stored(id))
        refreshed.sealedTokens = "sealed-by-another-instance"
        store.save(id, refreshed, ttlSeconds: 600) { _ in }
        let stale = StaleReadStore(store, stale: signedInRecord)
        signIn = SignInContext(
            config: config, providers: signIn.providers, sessions: stale, identities: store, log: .init(label: "test"),
            clock: clock, tokenStore: store)
        clock.advance(seconds: SignInContext.touchInterval)
        _ = try block("/", cookie)
        XCTAssertEqual(stored(id)?.sealedTokens, "sealed-by-another-instance")
    }
}

/// Answers loads with an older copy of the session, as a read that raced another instance's
/// write would; everything else goes to the real store.
private final class StaleReadStore: SessionStore, @unchecked Sendable {
    let store: MemoryStore
    let stale: SessionRecord
    init(_ store: MemoryStore, stale: SessionRecord) { (self.store, self.stale) = (store, stale) }

    func load(_ id: SessionID, completion: @escaping (Result<SessionRecord?, StoreError>) -> Void) {
        completion(.success(stale))
    }
    func save(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Void, StoreError>) -> Void
    ) { store.save(id, record, ttlSeconds: ttlSeconds, completion: completion) }
    func delete(_ id: SessionID, completion: @escaping (Result<Void, StoreError>) -> Void) {
        store.delete(id, completion: completion)
    }
    func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void
    ) { store.update(id, record, ttlSeconds: ttlSeconds, completion: completion) }
    func deleteSessions(
        userID: String, provider: String, subject: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) { store.deleteSessions(userID: userID, provider: provider, subject: subject, completion: completion) }
    func sessions(ofUser userID: String, completion: @escaping (Result<[StoredSession], StoreError>) -> Void) {
        store.sessions(ofUser: userID, completion: completion)
    }
    func deleteSessions(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) { store.deleteSessions(ids, ofUser: userID, completion: completion) }
    func deleteSessions(provider: String, sid: String, completion: @escaping (Result<Int, StoreError>) -> Void) {
        store.deleteSessions(provider: provider, sid: sid, completion: completion)
    }
    func claimOnce(_ key: String, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void) {
        store.claimOnce(key, ttlSeconds: ttlSeconds, completion: completion)
    }
}
