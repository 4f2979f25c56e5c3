// RP-Initiated Logout from POST /auth/sign_out: the local session ends first, then the browser
// goes to the provider with the ID token the session kept sealed.
import GatewayProxy
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class ProviderLogoutFlowTests: XCTestCase {
    private let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl"

    private func harness(extra: String = "", endpoint: String? = "https://idp.example.test/logout") throws
        -> AccountHarness
    {
        let h = try AccountHarness(extra: extra)
        h.provider.identity.idToken = token
        h.provider.endSessionEndpoint = endpoint
        return h
    }

    func testTheIDTokenIsKeptSealedUnderTheSessionID() throws {
        let h = try harness()
        let cookie = try h.signIn()
        let record = try XCTUnwrap(h.record(cookie))
        let sealed = try XCTUnwrap(record.sealedIDToken)
        let stored = String(decoding: record.encodedJSON(), as: UTF8.self)
        for part in token.split(separator: ".") { XCTAssertFalse(stored.contains(part), "the store sees \(part)") }
        let id = try XCTUnwrap(h.sessionID(cookie))
        let opened = h.context.idTokenSeal.open(sealed, binding: id.value, now: h.clock.unixSeconds())
        XCTAssertEqual(opened.map { String(decoding: $0.payload, as: UTF8.self) }, token)
        XCTAssertNil(
            h.context.idTokenSeal.open(sealed, binding: SessionID.generate().value, now: h.clock.unixSeconds()))
    }

    func testProviderOneSendsTheBrowserToTheProviderAfterEndingTheSession() throws {
        let h = try harness()
        let cookie = try h.signIn()
        let out = try h.send("POST", "/auth/sign_out?provider=1", cookie: cookie)
        XCTAssertEqual(out.status, 303)
        let request = try XCTUnwrap(h.provider.endSessionRequests.first)
        XCTAssertEqual(request.idTokenHint, token)
        XCTAssertEqual(request.postLogoutRedirectURI, "http://gateway.test/auth/sign_in?flash=signed_out")
        XCTAssertGreaterThanOrEqual(request.state.count, 22)
        XCTAssertEqual(
            AccountHarness.values("Location", of: out), ["https://idp.example.test/logout?state=" + request.state])
        XCTAssertTrue(AccountHarness.values("Set-Cookie", of: out).first?.contains("Max-Age=0") ?? false)
        XCTAssertNil(h.record(cookie), "the local session ended first")
    }

    func testEndProviderSessionOnIsTheDefaultAndProviderZeroOptsOut() throws {
        let h = try harness(extra: "end_provider_session on;\npost_logout_redirect /goodbye?x=1;")
        XCTAssertEqual(try h.send("POST", "/auth/sign_out", cookie: try h.signIn()).status, 303)
        XCTAssertEqual(h.provider.endSessionRequests.last?.postLogoutRedirectURI, "http://gateway.test/goodbye?x=1")
        let local = try h.send("POST", "/auth/sign_out?provider=0&next=/bye", cookie: try h.signIn())
        XCTAssertEqual(local.status, 302)
        XCTAssertEqual(AccountHarness.values("Location", of: local), ["/bye"])
        XCTAssertEqual(h.provider.endSessionRequests.count, 1)
    }

    func testWithoutAnEndSessionEndpointSignOutStaysLocal() throws {
        let h = try harness(endpoint: nil)
        let cookie = try h.signIn()
        let out = try h.send("POST", "/auth/sign_out?provider=1", cookie: cookie)
        XCTAssertEqual(out.status, 302)
        XCTAssertEqual(AccountHarness.values("Location", of: out), ["/auth/sign_in?flash=signed_out"])
        XCTAssertNil(h.record(cookie))
    }

    func testASealedTokenCopiedIntoAnotherSessionGivesNoHint() throws {
        let h = try harness()
        let victim = try XCTUnwrap(h.record(try h.signIn()))
        let cookie = try h.signIn()
        var mine = try XCTUnwrap(h.record(cookie))
        mine.sealedIDToken = victim.sealedIDToken
        h.store.save(try XCTUnwrap(h.sessionID(cookie)), mine, ttlSeconds: 60) { _ in }
        XCTAssertEqual(try h.send("POST", "/auth/sign_out?provider=1", cookie: cookie).status, 303)
        XCTAssertEqual(h.provider.endSessionRequests.count, 1)
        XCTAssertNil(h.provider.endSessionRequests[0].idTokenHint, "a seal opens only under its own session id")
    }

    func testCrossSiteProviderSignOutIsRefusedAndKeepsTheSession() throws {
        let h = try harness()
        let cookie = try h.signIn()
        let out = try h.send(
            "POST", "/auth/sign_out?provider=1", cookie: cookie, fields: ["Sec-Fetch-Site: cross-site"])
        XCTAssertEqual(out.status, 403)
        XCTAssertNotNil(h.record(cookie))
        XCTAssertTrue(h.provider.endSessionRequests.isEmpty)
    }
}
