// GET /auth/account and its session controls, as plain flows on the memory store.
import GatewayProxy
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class AccountFlowTests: XCTestCase {
    private let json = ["Accept: application/json"]

    func testSignedOutBrowsersAreSentToSignInAndComeBackAPIClientsGet401() throws {
        let h = try AccountHarness()
        let browser = try h.send("GET", "/auth/account", fields: ["Accept: text/html"])
        XCTAssertEqual(browser.status, 302)
        XCTAssertEqual(AccountHarness.values("Location", of: browser), ["/auth/sign_in?next=%2Fauth%2Faccount"])
        XCTAssertEqual(try h.send("GET", "/auth/account", fields: json).status, 401)
        XCTAssertEqual(try h.send("POST", "/auth/account").status, 405)
    }

    func testJSONListsIdentitiesAndSessionsWithHandlesNeverIDs() throws {
        let h = try AccountHarness()
        let mine = try h.signIn(client: "203.0.113.9")
        let other = try h.signIn(client: "198.51.100.4")
        let page = try h.send("GET", "/auth/account", cookie: mine, fields: json)
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(AccountHarness.values("Cache-Control", of: page), ["no-store"])
        let body = try AccountHarness.json(page)
        let identities = try XCTUnwrap(body["identities"] as? [[String: Any]])
        XCTAssertEqual(identities.map { $0["provider"] as? String }, ["github"])
        XCTAssertEqual(identities.first?["verified"] as? Bool, true)
        XCTAssertEqual(identities.first?["can_unlink"] as? Bool, false, "the last identity stays")
        let sessions = try XCTUnwrap(body["sessions"] as? [[String: Any]])
        XCTAssertEqual(Set(sessions.compactMap { $0["client_address"] as? String }), ["203.0.113.9", "198.51.100.4"])
        XCTAssertEqual(
            sessions.filter { $0["current"] as? Bool == true }.map { $0["client_address"] as? String }, ["203.0.113.9"])
        let text = String(decoding: page.body, as: UTF8.self)
        for cookie in [mine, other] {
            XCTAssertFalse(text.contains(try XCTUnwrap(h.sessionID(cookie)).value), "a session id is a bearer secret")
        }
    }

    func testSignOutThisSessionEndsOnlyTheNamedSessionOfTheSameUser() throws {
        let h = try AccountHarness()
        let mine = try h.signIn()
        let other = try h.signIn()
        let sessions = try XCTUnwrap(
            try AccountHarness.json(try h.send("GET", "/auth/account", cookie: mine, fields: json))["sessions"]
                as? [[String: Any]])
        let target = try XCTUnwrap(sessions.first { $0["current"] as? Bool == false }?["sign_out"] as? String)
        XCTAssertEqual(try h.send("POST", target, cookie: mine, fields: ["Sec-Fetch-Site: cross-site"]).status, 403)
        XCTAssertNotNil(h.record(other))
        // Someone else's session cannot be named: handles resolve among the caller's own only.
        (h.provider.identity.subject, h.provider.identity.email) = ("stranger", "stranger@example.com")
        let stranger = try h.signIn()
        XCTAssertEqual(try h.send("POST", target, cookie: stranger).status, 404)
        XCTAssertNotNil(h.record(other))
        let ended = try h.send("POST", target, cookie: mine)
        XCTAssertEqual(ended.status, 302, "with next= the browser goes back to the page")
        XCTAssertNil(h.record(other))
        XCTAssertNotNil(h.record(mine))
        XCTAssertTrue(AccountHarness.values("Set-Cookie", of: ended).isEmpty, "this browser stays signed in")
        XCTAssertEqual(try h.send("POST", "/auth/sessions/nonsense/sign_out", cookie: mine).status, 404)
    }

    func testSignOutEverywhereElseKeepsOnlyThisSession() throws {
        let h = try AccountHarness()
        let mine = try h.signIn()
        let others = [try h.signIn(), try h.signIn()]
        let out = try h.send("POST", "/auth/sessions/sign_out_others", cookie: mine)
        XCTAssertEqual(out.status, 200)
        XCTAssertEqual(try AccountHarness.json(out)["signed_out"] as? Int, 2)
        for cookie in others { XCTAssertNil(h.record(cookie)) }
        XCTAssertNotNil(h.record(mine))
        XCTAssertEqual(try h.send("POST", "/auth/sessions/sign_out_others").status, 401)
    }

    func testThePageEscapesUserValuesAndSendsTheSecurityHeaders() throws {
        let h = try AccountHarness()
        h.provider.identity.login = "<img src=x onerror=alert(1)>"
        h.provider.identity.name = "\"><script>alert(2)</script>"
        let page = try h.send(
            "GET", "/auth/account", cookie: try h.signIn(client: "<b>addr</b>"), fields: ["Accept: text/html"])
        XCTAssertEqual(page.status, 200)
        let html = String(decoding: page.body, as: UTF8.self)
        for raw in ["<img", "<script", "<b>"] { XCTAssertFalse(html.contains(raw), "\(raw) reached the page") }
        XCTAssertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        XCTAssertTrue(html.contains("<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<h1>Your account</h1>"))
        XCTAssertEqual(AccountHarness.values("Cache-Control", of: page), ["no-store"])
        XCTAssertEqual(AccountHarness.values("X-Frame-Options", of: page), ["DENY"])
        XCTAssertTrue(
            AccountHarness.values("Content-Security-Policy", of: page).first?.hasPrefix("default-src 'none'") ?? false)
    }

    func testASignInEndsTheSessionItsBrowsersOldCookieNamed() throws {
        let h = try AccountHarness()
        let old = try h.signIn()
        let other = try h.signIn()
        let new = try h.signIn(replacing: old)
        XCTAssertNil(h.record(old), "the replaced session does not linger unreachable")
        XCTAssertNotNil(h.record(new))
        XCTAssertNotNil(h.record(other), "sessions of other browsers stay")
    }

    func testTimesAreShownInUTC() {
        XCTAssertEqual(
            AccountPage.time(1_764_635_058), "<time datetime=\"2025-12-02T00:24:18Z\">2025-12-02 00:24 UTC</time>")
    }
}
