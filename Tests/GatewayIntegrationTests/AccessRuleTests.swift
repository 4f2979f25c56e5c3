// The real gateway's deny/allow rules with oidc-provider-mock issuing groups and custom claims:
// deny wins, group and claim rules, the 403 page (HTML and JSON) and /auth/verify's 403.
import Foundation
import XCTest

final class AccessRuleTests: IntegrationTestCase {
    private var base: URL!
    private var issuer = ""
    /// The mock keeps users for its lifetime only, but subjects unique to this run read better in logs.
    private let tag = UUID().uuidString.prefix(8).lowercased()

    private func start() throws {
        let upstream = try startUpstream()
        issuer = try startMockProvider()
        (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers:
                "provider corp { type oidc; issuer \(issuer); client_id a; client_secret a; display_name \"Corp\"; }",
            store: "memory", extra: "trusted_proxies 127.0.0.1;",
            locations: """
                location /staff/ { allow group staff; proxy_pass app; }
                location /no-contractors/ { allow group staff; deny group contractors; proxy_pass app; }
                location /engineering/ { allow claim department Engineering; proxy_pass app; }
                location /level/ { allow claim level 3; deny claim roles intern; proxy_pass app; }
                location /open/ { deny email_domain evil.example; proxy_pass app; }
                location / { proxy_pass app; }
                """)
    }

    /// A fresh browser signed in as `sub` with `claims` (email verified unless the claims say).
    private func signedIn(_ sub: String, _ claims: [String: Any]) throws -> Browser {
        let subject = sub + "-" + tag
        var all: [String: Any] = ["email": "\(subject)@example.com", "email_verified": true]
        all.merge(claims) { $1 }
        try setMockUser(issuer: issuer, sub: subject, claims: all)
        let browser = Browser()
        let hops = try signIn(browser, base: base, path: "/app/", sub: subject)
        XCTAssertEqual(hops.last?.response.status, 200, "\(hops.map { "\($0.response.status) \($0.url)" })")
        return browser
    }

    private func get(_ browser: Browser, _ path: String, headers: [(String, String)] = []) throws -> TestResponse {
        try browser.request("GET", URL(string: path, relativeTo: base)!.absoluteURL, headers: headers).response
    }

    func testGroupRulesAndDenyWins() throws {
        try start()
        let staff = try signedIn("sam", ["groups": ["staff"]])
        let contractor = try signedIn("cora", ["groups": ["staff", "contractors"]])
        let outsider = try signedIn("otto", ["groups": ["Staff"]])
        XCTAssertEqual(try get(staff, "/staff/x").status, 200)
        XCTAssertEqual(try get(staff, "/no-contractors/x").status, 200)
        XCTAssertEqual(try get(contractor, "/staff/x").status, 200)
        XCTAssertEqual(try get(contractor, "/no-contractors/x").status, 403, "deny wins over a matching allow")
        XCTAssertEqual(try get(outsider, "/staff/x").status, 403, "groups compare exactly")
        XCTAssertEqual(try get(outsider, "/x").status, 200, "no rules: every signed-in user")
    }

    func testClaimRulesMatchStringsArrayElementsAndNumbers() throws {
        try start()
        let engineer = try signedIn("eve", ["department": "Engineering", "level": 3, "roles": ["dev"]])
        let intern = try signedIn(
            "ian", ["department": ["Sales", "Engineering"], "level": 3, "roles": ["dev", "intern"]])
        let sales = try signedIn("sal", ["department": "Sales", "level": 2])
        XCTAssertEqual(try get(engineer, "/engineering/").status, 200)
        XCTAssertEqual(try get(intern, "/engineering/").status, 200, "an element of an array claim")
        XCTAssertEqual(try get(sales, "/engineering/").status, 403)
        XCTAssertEqual(try get(engineer, "/level/").status, 200, "a number compares as its text")
        XCTAssertEqual(try get(intern, "/level/").status, 403, "deny claim wins")
        XCTAssertEqual(try get(sales, "/level/").status, 403)
    }

    func testDenyWithoutAllowAdmitsEveryoneElse() throws {
        try start()
        let ok = try signedIn("ok", [:])
        XCTAssertEqual(try get(ok, "/open/").status, 200)
        let evil = try signedIn("mal", ["email": "mal-\(tag)@evil.example"])
        XCTAssertEqual(try get(evil, "/open/").status, 403)
    }

    func testRefusedPageSaysWhoAndOffersSignOutAndAnotherAccount() throws {
        try start()
        let browser = try signedIn("otto", ["groups": ["visitors"], "preferred_username": "otto<b>"])
        let page = try get(browser, "/staff/report?q=1")
        XCTAssertEqual(page.status, 403)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        let html = page.text
        XCTAssertTrue(html.contains("signed in as <strong class=\"who\">otto&lt;b&gt;</strong>"), html)
        XCTAssertTrue(html.contains("otto-\(tag)@example.com") && html.contains("with Corp"), html)
        XCTAssertTrue(html.contains(#"<form method="post" action="/auth/sign_out">"#), html)
        let another = "/auth/sign_out?next=%2Fauth%2Fsign_in%3Fnext%3D%252Fstaff%252Freport%253Fq%253D1"
        XCTAssertTrue(html.contains(#"<form method="post" action="\#(another)">"#), html)

        // A cross-site post of either form is refused, as sign-out always is.
        let url = URL(string: another, relativeTo: base)!.absoluteURL
        let crossSite = try browser.request("POST", url, headers: [("Origin", "https://evil.example")])
        XCTAssertEqual(crossSite.response.status, 403)
        XCTAssertEqual(try get(browser, "/x").status, 200, "still signed in")
        // From the page itself: signed out, then the sign-in page that comes back to the path.
        let posted = try browser.request("POST", url, headers: [("Origin", base.absoluteString)])
        XCTAssertEqual(posted.response.status, 302)
        XCTAssertEqual(posted.response.header("Location"), "/auth/sign_in?next=%2Fstaff%2Freport%3Fq%3D1")
        XCTAssertEqual(try get(browser, "/x").status, 302, "the session is gone")
    }

    func testRefusedAPIClientGetsJSON() throws {
        try start()
        let browser = try signedIn("jay", ["groups": []])
        // Browser always sends Accept: text/html first; an API client sends only its own.
        let cookie = browser.cookies(for: base).map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let response = try RawHTTPClient(port: base.port!).request(
            "GET", "/staff/api", headers: [("Accept", "application/json"), ("Cookie", cookie)],
            host: "127.0.0.1:\(base.port!)")
        XCTAssertEqual(response.status, 403)
        let json = try response.json()
        XCTAssertEqual(json["status"] as? Int, 403)
        XCTAssertEqual(json["error"] as? String, "Forbidden")
        let who = try XCTUnwrap(json["signed_in_as"] as? [String: Any])
        XCTAssertEqual(who["email"] as? String, "jay-\(tag)@example.com")
        XCTAssertEqual(who["provider"] as? String, "corp")
        XCTAssertEqual(json["sign_out"] as? String, "/auth/sign_out")
        let xhr = try get(browser, "/staff/api", headers: [("X-Requested-With", "XMLHttpRequest")])
        XCTAssertEqual(xhr.status, 403)
        XCTAssertNotNil(try? xhr.json())
    }

    func testForwardAuthAnswers403ByTheSameRules() throws {
        try start()
        let contractor = try signedIn("cora", ["groups": ["staff", "contractors"]])
        func verify(_ path: String) throws -> Int {
            try get(contractor, "/auth/verify", headers: [("X-Original-URI", path)]).status
        }
        XCTAssertEqual(try verify("/staff/a"), 200)
        XCTAssertEqual(try verify("/no-contractors/a"), 403)
    }
}
