// GET /auth/account over the real binary, Redis and oidc-provider-mock: the sign-in round trip,
// the client address as the access log sees it, and ending sessions of other clients.
import Foundation
import GatewayTestSupport
import XCTest

final class AccountTests: IntegrationTestCase {
    private var base: URL!

    private func start(extra: String = "") throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers:
                "provider mock { type oidc; issuer \(issuer); client_id a; client_secret a; display_name \"Mock\"; }",
            store: "redis://127.0.0.1:\(try redisPort())/0", extra: extra)
    }

    private func url(_ path: String) -> URL { URL(string: path, relativeTo: base)!.absoluteURL }

    private func account(_ browser: Browser) throws -> [String: Any] {
        let response = try browser.request("GET", url("/auth/account"), headers: [("X-Requested-With", "XMLHttpRequest")])
            .response
        XCTAssertEqual(response.status, 200, response.text)
        return try response.json()
    }

    private func sessions(_ browser: Browser) throws -> [[String: Any]] {
        try XCTUnwrap(try account(browser)["sessions"] as? [[String: Any]])
    }

    /// Signs in through the mock with `forwardedFor` on the callback (where the session is made).
    private func signIn(_ browser: Browser, sub: String, forwardedFor: String) throws {
        let hops = try browser.follow(url("/auth/mock?next=/app/"))
        let form = try XCTUnwrap(hops.last)
        let submitted = try browser.request("POST", form.url, form: [("sub", sub)])
        let callback = try browser.request(
            "GET", try XCTUnwrap(submitted.location), headers: [("X-Forwarded-For", forwardedFor)])
        XCTAssertEqual(callback.response.status, 302, callback.response.text)
    }

    func testSignedOutBrowserSignsInAndComesBackToThePage() throws {
        try start()
        let browser = Browser()
        let hops = try signIn(browser, base: base, path: "/auth/account", sub: "page-\(UUID().uuidString.prefix(6))")
        XCTAssertEqual(hops.first?.response.header("Location"), "/auth/sign_in?next=%2Fauth%2Faccount")
        let page = try XCTUnwrap(hops.last)
        XCTAssertEqual(page.url.path, "/auth/account")
        XCTAssertEqual(page.response.status, 200)
        XCTAssertEqual(page.response.header("Cache-Control"), "no-store")
        XCTAssertEqual(page.response.header("X-Frame-Options"), "DENY")
        XCTAssertTrue(page.response.text.contains("<h2 id=\"sessions\">Active sessions</h2>"))
        XCTAssertTrue(page.response.text.contains("(this session)"))
    }

    func testTheClientAddressIsTheOneTheAccessLogComputes() throws {
        try start(extra: "trusted_proxies 127.0.0.1;")
        let browser = Browser()
        try signIn(browser, sub: "via-proxy", forwardedFor: "198.51.100.23, 127.0.0.1")
        XCTAssertEqual(try sessions(browser).first?["client_address"] as? String, "198.51.100.23")
    }

    func testAnUntrustedPeerCannotClaimAnAddress() throws {
        try start()
        let browser = Browser()
        try signIn(browser, sub: "direct", forwardedFor: "198.51.100.23")
        XCTAssertEqual(try sessions(browser).first?["client_address"] as? String, "127.0.0.1")
    }

    func testSignOutThisAndEverywhereElseEndOtherClientsSessionsInRedis() throws {
        try start()
        let sub = "multi-\(UUID().uuidString.prefix(6))"
        let (laptop, phone, tablet) = (Browser(), Browser(), Browser())
        for browser in [laptop, phone, tablet] {
            try signIn(browser, base: base, path: "/auth/mock?next=/app/", sub: sub)
        }
        func status(_ browser: Browser) throws -> Int { try browser.request("GET", url("/app/x")).response.status }
        let listed = try sessions(laptop)
        XCTAssertEqual(listed.count, 3)
        XCTAssertEqual(listed.filter { $0["current"] as? Bool == true }.count, 1)
        // The phone's session, named by the handle the tablet's page gives it.
        let phoneHandle = try XCTUnwrap(try sessions(phone).first { $0["current"] as? Bool == true }?["id"] as? String)
        let action = try XCTUnwrap(
            try sessions(tablet).first { $0["id"] as? String == phoneHandle }?["sign_out"] as? String)
        let forged = try tablet.request("POST", url(action), headers: [("Sec-Fetch-Site", "cross-site")]).response
        XCTAssertEqual(forged.status, 403)
        let ended = try tablet.request("POST", url(action), headers: [("Origin", base.absoluteString)]).response
        XCTAssertEqual(ended.status, 302)
        XCTAssertEqual(ended.header("Location"), "/auth/account")
        XCTAssertEqual(try status(phone), 302, "the phone finds itself signed out")
        XCTAssertEqual(try status(tablet), 200)
        let others = try laptop.request(
            "POST", url("/auth/sessions/sign_out_others"),
            headers: [("Origin", base.absoluteString), ("X-Requested-With", "XMLHttpRequest")]
        ).response
        XCTAssertEqual(try others.json()["signed_out"] as? Int, 1)
        XCTAssertEqual(try status(tablet), 302)
        XCTAssertEqual(try status(laptop), 200)
        XCTAssertEqual(try sessions(laptop).count, 1)
    }
}
