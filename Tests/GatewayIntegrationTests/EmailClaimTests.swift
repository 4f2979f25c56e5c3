// Email claims an attacker controls: unverified, multi-@ and full-width ones authorize nothing.
import Foundation
import XCTest

final class EmailClaimTests: IntegrationTestCase {
    private var base: URL!
    private var work = ""
    private var home = ""
    /// Redis may be shared with other tests: addresses unique to this run, so nothing links to them.
    private let tag = UUID().uuidString.prefix(8).lowercased()
    private var boss: String { "boss-\(tag)@example.com" }

    /// Two OIDC providers; `/admin/` admits `boss`, `/evil/` the domain evil.com.
    private func start() throws {
        let upstream = try startUpstream()
        work = try startMockProvider()
        home = try startMockProvider()
        (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider work { type oidc; issuer \(work); client_id a; client_secret a; display_name "Work"; }
                provider home { type oidc; issuer \(home); client_id b; client_secret b; display_name "Home"; }
                """,
            store: "redis://127.0.0.1:\(try redisPort())/0",
            locations: """
                location /admin/ { auth required; allow email \(boss); proxy_pass app; }
                location /evil/ { auth required; allow email_domain evil.com; proxy_pass app; }
                location / { auth required; proxy_pass app; }
                """)
    }

    private func status(_ browser: Browser, _ path: String) throws -> Int {
        try browser.request("GET", URL(string: path, relativeTo: base)!.absoluteURL).response.status
    }

    /// What the upstream saw; the request also tries to inject the email headers itself.
    private func echo(_ browser: Browser, _ path: String = "/app/echo") throws -> [String: Any] {
        let forged = [("X-Auth-Email", boss), ("X-Auth-Email-Verified", "true")]
        return try browser.request("GET", URL(string: path, relativeTo: base)!.absoluteURL, headers: forged).response
            .json()
    }

    /// Signs a fresh browser in at `provider` as `sub`; returns it and the user id.
    private func signedIn(_ provider: String, _ sub: String) throws -> (Browser, String) {
        let browser = Browser()
        let hops = try signIn(browser, base: base, path: "/auth/\(provider)?next=/app/", sub: sub + "-" + tag)
        let id = try XCTUnwrap(headerValues("X-Auth-User-Id", in: try hops.last!.response.json()).first)
        return (browser, id)
    }

    func testUnverifiedEmailDoesNotSatisfyAllowEmail() throws {
        try start()
        try setMockUser(issuer: work, sub: "fake-boss-\(tag)", claims: ["email": boss, "email_verified": false])
        let (browser, _) = try signedIn("work", "fake-boss")
        XCTAssertEqual(try status(browser, "/admin/"), 403)
        let seen = try echo(browser)
        XCTAssertEqual(headerValues("X-Auth-Email", in: seen), [], "an unverified email is never sent")
        XCTAssertEqual(headerValues("X-Auth-Email-Verified", in: seen), ["false"])
        XCTAssertEqual(headerValues("X-Auth-User", in: seen), ["fake-boss-" + tag], "nor used as the login")

        try setMockUser(issuer: work, sub: "real-boss-\(tag)", claims: ["email": boss.uppercased(), "email_verified": true])
        let (real, _) = try signedIn("work", "real-boss")
        XCTAssertEqual(try status(real, "/admin/"), 200)
        XCTAssertEqual(headerValues("X-Auth-Email-Verified", in: try echo(real)), ["true"])
    }

    func testMultiAtEmailNeverLinksOrAuthorizes() throws {
        try start()
        try setMockUser(issuer: work, sub: "boss-\(tag)", claims: ["email": boss, "email_verified": true])
        let (_, bossID) = try signedIn("work", "boss")
        try setMockUser(
            issuer: home, sub: "mallory-\(tag)", claims: ["email": boss + "@evil.com", "email_verified": true])
        let (mallory, malloryID) = try signedIn("home", "mallory")
        XCTAssertNotEqual(malloryID, bossID, "a multi-@ address must not link to the account it contains")
        XCTAssertEqual(try status(mallory, "/admin/"), 403)
        XCTAssertEqual(try status(mallory, "/evil/"), 403, "nor match the domain after its last @")
        let seen = try echo(mallory)
        XCTAssertEqual(headerValues("X-Auth-Email", in: seen), [])
        XCTAssertEqual(headerValues("X-Auth-Email-Verified", in: seen), [], "it counts as no email at all")
        let me = try mallory.request("GET", URL(string: "/auth/me", relativeTo: base)!.absoluteURL).response.json()
        XCTAssertTrue(me["email"] is NSNull, "stored as absent: \(me)")
    }

    func testFullWidthAtEmailCountsAsNoEmail() throws {
        try start()
        try setMockUser(issuer: work, sub: "alice-\(tag)", claims: ["email": "alice-\(tag)@example.com", "email_verified": true])
        let (_, aliceID) = try signedIn("work", "alice")
        // NFKC folds U+FF20 into "@": a normaliser that applied it would hand over Alice's account.
        try setMockUser(
            issuer: home, sub: "eve-\(tag)", claims: ["email": "alice-\(tag)\u{FF20}example.com", "email_verified": true])
        let (eve, eveID) = try signedIn("home", "eve")
        XCTAssertNotEqual(eveID, aliceID)
        let seen = try echo(eve)
        XCTAssertEqual(headerValues("X-Auth-Email", in: seen), [])
        XCTAssertEqual(headerValues("X-Auth-Email-Verified", in: seen), [])
    }

    func testHTTPSPublicURLSetsHostPrefixedCookies() throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let (_, url) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id c; client_secret s; }",
            store: "memory", publicScheme: "https")
        let browser = Browser()
        let start = try browser.request("GET", URL(string: "/auth/mock?next=/app/", relativeTo: url)!.absoluteURL)
        let state = start.response.header("Set-Cookie") ?? ""
        XCTAssertTrue(state.hasPrefix("__Host-__gateway_state_"), state)
        for attribute in ["Path=/;", "Secure", "HttpOnly"] { XCTAssertTrue(state.contains(attribute), state) }
        XCTAssertFalse(state.contains("Domain"), state)
        let back = try browser.request("POST", try XCTUnwrap(start.location), form: [("sub", "tls-user")])
        // The gateway believes it is https; the test talks to its plain listener.
        var callback = URLComponents(url: try XCTUnwrap(back.location), resolvingAgainstBaseURL: false)!
        callback.scheme = "http"
        let done = try browser.request("GET", callback.url!)
        XCTAssertEqual(done.response.status, 302, done.response.text)
        let session = done.response.head.headers.indices(of: "set-cookie")
            .map { String(decoding: done.response.head.headers.value(at: $0), as: UTF8.self) }
        XCTAssertTrue(session.contains { $0.hasPrefix("__Host-__gateway=") && $0.contains("; Secure") }, "\(session)")
        let api = try browser.request(
            "GET", URL(string: "/app/x", relativeTo: url)!.absoluteURL, headers: [("Accept", "application/json")])
        XCTAssertEqual(api.response.status, 200, "the prefixed cookie is the one read back")
    }
}
