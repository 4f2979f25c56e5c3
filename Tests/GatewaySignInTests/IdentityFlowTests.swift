// The gate and endpoints of bearer tokens, the identity assertion and back-channel logout, as
// plain functions: memory store, fake provider, manual clock (no issuer is reached).
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayProxy
import GatewaySessions
import GatewayTestSupport
import XCTest

@testable import GatewaySignIn

final class IdentityFlowTests: XCTestCase {
    private var clock: ManualClock!
    private var store: MemoryStore!
    private var signIn: SignInContext!
    private var config: GatewayConfiguration!

    override func setUpWithError() throws {
        config = try ConfigLoader.load(
            text: """
                public_url http://gateway.test;
                upstream app { server 127.0.0.1:3000; }
                session { cookie_name __gw; cookie_secret 0123456789abcdef0123456789abcdef-test; }
                provider github { client_id x; client_secret y; }
                location /api/ { accept bearer issuer=https://idp.example.test audience=api; proxy_pass app; }
                location /plain/ { identity_assertion off; proxy_pass app; }
                location / { proxy_pass app; }
                """, file: "test.conf")
        clock = ManualClock(unixSeconds: 1_800_000_000)
        store = MemoryStore(clock: clock)
        signIn = SignInContext(
            config: config, providers: [FakeSignInProvider()], sessions: store, identities: store,
            log: .init(label: "test"), clock: clock)
    }

    private func location(_ prefix: String) throws -> LocationConfig {
        try XCTUnwrap(config.locations.first { $0.prefix == prefix })
    }

    private func gate(_ path: String, _ fields: String) throws -> GateDecision {
        let head = try XCTUnwrap(parsedHead("GET \(path) HTTP/1.1\r\nHost: gateway.test\r\n\(fields)\r\n"))
        let prefix = path.hasPrefix("/api/") ? "/api/" : path.hasPrefix("/plain/") ? "/plain/" : "/"
        var decisions: [GateDecision] = []
        signIn.check(head, location: try location(prefix)) { decisions.append($0) }
        XCTAssertEqual(decisions.count, 1)
        return try XCTUnwrap(decisions.first)
    }

    private func answer(_ raw: String, body: String = "") throws -> LocalResponse {
        let head = try XCTUnwrap(parsedHead(raw))
        var request = LocalRequest(
            head: head, target: head.path, peerHost: "127.0.0.1", peerTrusted: false, locate: { _ in .none })
        request.body = Array(body.utf8)
        var answers: [LocalResponse] = []
        signIn.answer(request) { answers.append($0) }
        XCTAssertEqual(answers.count, 1)
        return try XCTUnwrap(answers.first)
    }

    /// A live session of user u_1 in the memory store, and the Cookie field line that names it.
    private func storedSession() -> (SessionID, String) {
        let id = SessionID.generate()
        let now = clock.unixSeconds()
        let record = SessionRecord(
            userID: "u_1", provider: "github", subject: "1", identities: ["github:1"], createdAt: now,
            expiresAt: now + 3600, lastSeenAt: now)
        store.save(id, record, ttlSeconds: 3600) { _ in }
        return (id, "Cookie: __gw=\(signIn.sessionCodec.sign(id.value))\r\n")
    }

    private func header(_ name: String, _ response: LocalResponse) -> String? {
        response.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    func testABearerLocationChallengesAndRefusesMalformedCredentials() throws {
        guard case .answer(let missing) = try gate("/api/x", "Accept: application/json\r\n") else { return XCTFail() }
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(header("WWW-Authenticate", missing), "Bearer realm=\"http://gateway.test\"")
        guard case .answer(let malformed) = try gate("/api/x", "Authorization: Bearer\r\n") else { return XCTFail() }
        XCTAssertEqual(malformed.status, 401)
        XCTAssertTrue(header("WWW-Authenticate", malformed)?.contains("error=\"invalid_token\"") ?? false)
        // A location without accept bearer sends no bearer challenge.
        guard case .answer(let plain) = try gate("/x", "Accept: application/json\r\n") else { return XCTFail() }
        XCTAssertNil(header("WWW-Authenticate", plain))
    }

    func testTheAssertionJoinsTheIdentityBlockWhereTheLocationWantsIt() throws {
        signIn.assertion = IdentityAssertion(
            key: try ES256SigningKey(derivedFrom: "0123456789abcdef0123456789abcdef-test"),
            audience: "http://gateway.test", enabledByDefault: true)
        let (_, cookie) = storedSession()
        guard case .allow(let block, _) = try gate("/x", cookie) else { return XCTFail("not allowed") }
        XCTAssertTrue(String(decoding: block, as: UTF8.self).contains("\r\nX-Auth-Assertion: ey"))
        guard case .allow(let plain, _) = try gate("/plain/x", cookie) else { return XCTFail("not allowed") }
        XCTAssertFalse(String(decoding: plain, as: UTF8.self).contains("X-Auth-Assertion"))

        let keys = try answer("GET /auth/jwks.json HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
        XCTAssertEqual(keys.status, 200)
        XCTAssertEqual(header("Cache-Control", keys), "public, max-age=300")
        XCTAssertTrue(String(decoding: keys.body, as: UTF8.self).hasPrefix("{\"keys\":[{\"kty\":\"EC\""))
    }

    func testTheGateDecidesAtOnceOnlyForASessionAtHandAndNeverForABearer() throws {
        let (id, cookie) = storedSession()
        func head(_ path: String, _ fields: String) throws -> HTTPRequestHead {
            try XCTUnwrap(parsedHead("GET \(path) HTTP/1.1\r\nHost: gateway.test\r\n\(fields)\r\n"))
        }
        guard case .allow(let once, _)? = signIn.decideAtOnce(try head("/x", cookie), location: try location("/")) else {
            return XCTFail("a session at hand is decided at once")
        }
        guard case .allow(let checked, _) = try gate("/x", cookie) else { return XCTFail("not allowed") }
        XCTAssertEqual(once, checked, "the same identity block either way")
        // On a bearer location a request with a token is the token's to judge, cookie or not.
        // (This harness has no verifier, so the general path is shown with a malformed credential.)
        let bearer = cookie + "Authorization: Bearer not-a-jwt\r\n"
        XCTAssertNil(signIn.decideAtOnce(try head("/api/x", bearer), location: try location("/api/")))
        let malformed = cookie + "Authorization: Bearer\r\n"
        XCTAssertNil(signIn.decideAtOnce(try head("/api/x", malformed), location: try location("/api/")))
        guard case .answer(let refused) = try gate("/api/x", malformed) else { return XCTFail("a bad token let through") }
        XCTAssertEqual(refused.status, 401)
        XCTAssertNotNil(signIn.decideAtOnce(try head("/api/x", cookie), location: try location("/api/")), "no token: the session")
        // No cookie, or a forged one: nothing is decided at once, and the general path refuses.
        XCTAssertNil(signIn.decideAtOnce(try head("/x", ""), location: try location("/")))
        let forged = "Cookie: __gw=\(id.value).AAAA\r\n"
        XCTAssertNil(signIn.decideAtOnce(try head("/x", forged), location: try location("/")))
        guard case .answer(let unsigned) = try gate("/x", forged) else { return XCTFail("a forged cookie let through") }
        XCTAssertEqual(unsigned.status, 302, "a browser without a session is sent to sign in")
    }

    func testWithoutAnAssertionThereIsNoKeySet() throws {
        XCTAssertEqual(try answer("GET /auth/jwks.json HTTP/1.1\r\nHost: gateway.test\r\n\r\n").status, 404)
    }

    func testOnlyTheBackChannelEndpointReadsABody() throws {
        func limit(_ raw: String) throws -> Int {
            let head = try XCTUnwrap(parsedHead(raw))
            return signIn.bodyLimit(head, target: head.path)
        }
        XCTAssertEqual(
            try limit("POST /auth/github/backchannel_logout HTTP/1.1\r\nHost: g\r\nContent-Length: 3\r\n\r\n"),
            SignInContext.backChannelBodyLimit)
        XCTAssertEqual(try limit("GET /auth/github/backchannel_logout HTTP/1.1\r\nHost: g\r\n\r\n"), 0)
        XCTAssertEqual(try limit("POST /auth/sign_out HTTP/1.1\r\nHost: g\r\nContent-Length: 3\r\n\r\n"), 0)
    }

    func testBackChannelLogoutNeedsAnOIDCProviderAndAForm() throws {
        let post =
            "POST /auth/github/backchannel_logout HTTP/1.1\r\nHost: g\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16\r\n\r\n"
        let refused = try answer(post, body: "logout_token=abc")
        XCTAssertEqual(refused.status, 400)
        XCTAssertTrue(String(decoding: refused.body, as: UTF8.self).contains("\"error\":\"invalid_request\""))
        XCTAssertEqual(header("Cache-Control", refused), "no-store")
        let read = try answer("GET /auth/github/backchannel_logout HTTP/1.1\r\nHost: g\r\n\r\n")
        XCTAssertEqual(read.status, 405)
        XCTAssertEqual(header("Allow", read), "POST")
    }
}
