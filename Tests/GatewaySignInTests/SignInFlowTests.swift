// The /auth/* flows and the gate as plain functions: memory store, fake provider, manual clock.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayProxy
import GatewaySessions
import GatewayTestSupport
import XCTest

@testable import GatewaySignIn

final class SignInFlowTests: XCTestCase {
    private var clock: ManualClock!
    private var store: MemoryStore!
    private var provider: FakeSignInProvider!
    private var signIn: SignInContext!
    private var config: GatewayConfiguration!

    override func setUpWithError() throws {
        config = try ConfigLoader.load(
            text: """
                listen 127.0.0.1:8080;
                public_url http://gateway.test;
                upstream app { server 127.0.0.1:3000; }
                session { cookie_name __gw; cookie_secret 0123456789abcdef0123456789abcdef-test; }
                provider github { client_id x; client_secret y; }
                location /admin/ { auth required; identity_header email X-Forwarded-Email; proxy_pass app; }
                location / { auth off; proxy_pass app; }
                """, file: "test.conf")
        clock = ManualClock()
        store = MemoryStore(clock: clock)
        provider = FakeSignInProvider()
        signIn = SignInContext(
            config: config, providers: [provider], sessions: store, identities: store, log: .init(label: "test"),
            clock: clock)
    }

    /// The one answer of a flow (the memory store and the fake provider answer at once).
    private func answer(_ raw: String) throws -> LocalResponse {
        let head = try XCTUnwrap(parsedHead(raw))
        let target = head.path
        XCTAssertTrue(signIn.claims(target), "the endpoint claims \(raw)")
        var answers: [LocalResponse] = []
        signIn.answer(
            LocalRequest(head: head, target: target, peerHost: "127.0.0.1", peerTrusted: false, locate: { _ in .none })
        ) { answers.append($0) }
        XCTAssertEqual(answers.count, 1, "exactly one answer")
        return try XCTUnwrap(answers.first)
    }

    private func get(_ target: String, cookies: [String] = [], extra: String = "") throws -> LocalResponse {
        let cookie = cookies.isEmpty ? "" : "Cookie: \(cookies.joined(separator: "; "))\r\n"
        return try answer("GET \(target) HTTP/1.1\r\nHost: gateway.test\r\n\(cookie)\(extra)\r\n")
    }

    private func header(_ name: String, of response: LocalResponse) -> [String] {
        response.headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    /// `name=value` of a Set-Cookie line.
    private func pair(_ setCookie: String) -> String {
        String(setCookie.prefix { $0 != ";" })
    }

    /// Start, then the callback with the attempt cookie: the session cookie's `name=value`.
    private func signInCookie() throws -> String {
        let start = try get("/auth/github?next=/admin/")
        let attempt = try XCTUnwrap(header("Set-Cookie", of: start).last)
        let done = try get("/auth/github/callback?state=\(FakeSignInProvider.key)&code=good", cookies: [pair(attempt)])
        XCTAssertEqual(done.status, 302)
        XCTAssertEqual(header("Location", of: done), ["/admin/"])
        let session = try XCTUnwrap(header("Set-Cookie", of: done).first { $0.hasPrefix("__gw=") })
        return pair(session)
    }

    private func gate(_ cookies: [String], accept: String = "application/json") throws -> GateDecision {
        let cookie = cookies.isEmpty ? "" : "Cookie: \(cookies.joined(separator: "; "))\r\n"
        let head = try XCTUnwrap(parsedHead("GET /admin/ HTTP/1.1\r\nHost: gateway.test\r\nAccept: \(accept)\r\n\(cookie)\r\n"))
        let location = try XCTUnwrap(config.locations.first { $0.prefix == "/admin/" })
        var decisions: [GateDecision] = []
        signIn.check(head, location: location) { decisions.append($0) }
        XCTAssertEqual(decisions.count, 1)
        return try XCTUnwrap(decisions.first)
    }

    func testStartRedirectsToTheProviderWithASealedAttemptCookie() throws {
        let start = try get("/auth/github?next=/admin/")
        XCTAssertEqual(start.status, 302)
        XCTAssertEqual(header("Location", of: start), [FakeSignInProvider.authorizationURL])
        let attempt = try XCTUnwrap(header("Set-Cookie", of: start).last)
        XCTAssertTrue(attempt.hasPrefix("__gw_state_"), attempt)
        XCTAssertTrue(attempt.contains("HttpOnly"), attempt)
        XCTAssertFalse(attempt.contains(FakeSignInProvider.remembered.verifier), "the verifier travels sealed")
        XCTAssertEqual(provider.redirectURIs, ["http://gateway.test/auth/github/callback"])
        XCTAssertEqual(store.sessionCount, 0, "a start writes nothing to the store")
    }

    func testACallbackWithAForeignStateIsRefusedWith400() throws {
        let refused = try get("/auth/github/callback?state=someone-else&code=good")
        XCTAssertEqual(refused.status, 400)
        XCTAssertTrue(header("Set-Cookie", of: refused).isEmpty, "the browser's own attempts are left alone")
        XCTAssertTrue(String(decoding: refused.body, as: UTF8.self).contains("does not belong to this browser"))
    }

    func testACallbackSignsInAndTheGateLetsTheSessionThroughWithItsIdentity() throws {
        let session = try signInCookie()
        guard case .allow(let block, let token?) = try gate([session]) else { return XCTFail("not allowed") }
        XCTAssertTrue(String(decoding: block, as: UTF8.self).contains("X-Forwarded-Email: ada@example.com"))
        var checks: [SessionCheck] = []
        signIn.recheck(token) { checks.append($0) }
        guard case .stands = try XCTUnwrap(checks.first) else { return XCTFail("the session should stand") }
        let me = try get("/auth/me", cookies: [session])
        XCTAssertEqual(me.status, 200)
        XCTAssertTrue(String(decoding: me.body, as: UTF8.self).contains("\"email\":\"ada@example.com\""))
    }

    func testAProviderThatCannotBeReachedIs503AndARefusalIs401() throws {
        let cases: [(AuthError, Int, String)] = [
            (.tokenExchangeFailed(status: nil), 503, "GitHub cannot be reached right now"),
            (.keysUnavailable, 503, "GitHub cannot be reached right now"),
            (.tokenExchangeFailed(status: 400), 401, "Signing in did not work"),
            (.providerError("invalid_grant"), 401, "Signing in did not work"),
        ]
        for (failure, status, text) in cases {
            provider.finishFailure = failure
            let start = try get("/auth/github?next=/admin/")
            let attempt = try XCTUnwrap(header("Set-Cookie", of: start).last)
            let done = try get("/auth/github/callback?state=\(FakeSignInProvider.key)&code=good", cookies: [pair(attempt)])
            XCTAssertEqual(done.status, status, "\(failure)")
            XCTAssertTrue(String(decoding: done.body, as: UTF8.self).contains(text), "\(failure)")
            XCTAssertFalse(header("Set-Cookie", of: done).contains { $0.hasPrefix("__gw=") }, "nobody is signed in")
        }
    }

    func testTheGateAnswersWithoutASessionAndAfterTheIdleTimeout() throws {
        guard case .answer(let api) = try gate([]) else { return XCTFail("let through without a session") }
        XCTAssertEqual(api.status, 401)
        guard case .answer(let browser) = try gate([], accept: "text/html") else { return XCTFail("let through") }
        XCTAssertEqual(browser.status, 302)
        XCTAssertEqual(header("Location", of: browser), ["/auth/sign_in?next=%2Fadmin%2F"])
        let session = try signInCookie()
        clock.advance(seconds: signIn.idleTimeout + 1)
        guard case .answer(let idle) = try gate([session]) else { return XCTFail("an idle session let through") }
        XCTAssertEqual(idle.status, 401)
    }

    /// A session at hand is decided at once (`immediateDecision`), with the same identity block
    /// as the general path; once the last-seen write is due, the general path takes over and
    /// writes it, so the sliding idle timeout still slides.
    func testTheGateDecidesAtOnceAndStillWritesADueLastSeen() throws {
        let session = try signInCookie()
        let head = try XCTUnwrap(parsedHead("GET /admin/ HTTP/1.1\r\nHost: gateway.test\r\nCookie: \(session)\r\n\r\n"))
        let id = try XCTUnwrap(signIn.sessionID(in: head.headers))
        let location = try XCTUnwrap(config.locations.first { $0.prefix == "/admin/" })
        guard case .allow(let fast, _)? = signIn.immediateDecision(head, id, location: location) else {
            return XCTFail("a fresh session at hand should be decided at once")
        }
        clock.advance(seconds: SignInContext.touchInterval + 1)
        XCTAssertNil(signIn.immediateDecision(head, id, location: location), "a due last-seen write takes the general path")
        guard case .allow(let general, _) = try gate([session]) else { return XCTFail("not allowed") }
        XCTAssertEqual(fast, general)
        XCTAssertEqual(store.immediateRecord(id)?.lastSeenAt, clock.unixSeconds(), "the general path wrote last-seen")
        guard case .allow = try XCTUnwrap(signIn.immediateDecision(head, id, location: location)) else {
            return XCTFail("after the write the session is at hand again")
        }
        // Past the idle timeout the fast path declines, and the general path refuses.
        clock.advance(seconds: signIn.idleTimeout + 1)
        XCTAssertNil(signIn.immediateDecision(head, id, location: location))
        guard case .answer(let idle) = try gate([session]) else { return XCTFail("an idle session let through") }
        XCTAssertEqual(idle.status, 401)
    }

    func testSignOutClearsTheCookieAndEndsTheSession() throws {
        let session = try signInCookie()
        guard case .allow(_, let token?) = try gate([session]) else { return XCTFail("not allowed") }
        let out = try answer("POST /auth/sign_out HTTP/1.1\r\nHost: gateway.test\r\nCookie: \(session)\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(out.status, 302)
        XCTAssertEqual(header("Location", of: out), ["/auth/sign_in?flash=signed_out"])
        XCTAssertEqual(header("Set-Cookie", of: out).map { $0.hasPrefix("__gw=;") && $0.contains("Max-Age=0") }, [true])
        var checks: [SessionCheck] = []
        signIn.recheck(token) { checks.append($0) }
        guard case .ended = try XCTUnwrap(checks.first) else { return XCTFail("a tunnel keeps a signed-out session") }
    }

    func testCrossSiteSignOutIsRefused() throws {
        let out = try answer(
            "POST /auth/sign_out HTTP/1.1\r\nHost: gateway.test\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(out.status, 403)
    }
}
