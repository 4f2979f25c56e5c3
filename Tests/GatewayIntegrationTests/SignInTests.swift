// The whole OIDC dance against a real oidc-provider-mock and a real Redis, step by step.
import Foundation
import XCTest

final class SignInTests: IntegrationTestCase {
    private func setUp(store: String? = nil, extra: String = "") throws -> (Upstream, GatewayProcess, URL, String) {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let redis = try redisPort()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s3cret; display_name \"Mock IdP\"; }",
            store: store ?? "redis://127.0.0.1:\(redis)/0", extra: extra)
        return (upstream, gateway, base, issuer)
    }

    func testBrowserSignsInAndTheAppSeesIdentityHeaders() throws {
        let (_, gateway, base, issuer) = try setUp()
        try setMockUser(issuer: issuer, sub: "alice", claims: ["email": "Alice@Example.com", "email_verified": true, "name": "Alice A."])
        let browser = Browser()

        let first = try browser.request("GET", URL(string: "/app/page?x=1", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(first.response.status, 302)
        XCTAssertEqual(first.response.header("Location"), "/auth/sign_in?next=%2Fapp%2Fpage%3Fx%3D1")
        let page = try browser.request("GET", first.location!)
        XCTAssertEqual(page.response.status, 200)
        XCTAssertTrue(page.response.text.contains("Sign in with Mock IdP"), page.response.text)

        let hops = try signIn(browser, base: base, sub: "alice")
        let landed = try XCTUnwrap(hops.last)
        XCTAssertEqual(landed.url.path, "/app/page")
        XCTAssertEqual(landed.url.query, "x=1")
        XCTAssertEqual(landed.response.status, 200)
        let echo = try landed.response.json()
        XCTAssertEqual(headerValues("X-Auth-Email", in: echo), ["alice@example.com"], "ASCII-lowercased at sign-in")
        XCTAssertEqual(headerValues("X-Auth-Email-Verified", in: echo), ["true"])
        XCTAssertEqual(headerValues("X-Auth-Name", in: echo), ["Alice A."])
        XCTAssertEqual(headerValues("X-Auth-Provider", in: echo), ["mock"])
        XCTAssertEqual(headerValues("X-Auth-Identities", in: echo), ["mock:alice"])
        let userID = try XCTUnwrap(headerValues("X-Auth-User-Id", in: echo).first)
        XCTAssertTrue(userID.hasPrefix("u_"), userID)

        // The session cookie is HttpOnly, SameSite=Lax, Path=/ and carries only id.mac.
        let callbackHop = try XCTUnwrap(hops.first { $0.url.path == "/auth/mock/callback" })
        let setCookie = callbackHop.response.header("Set-Cookie") ?? ""
        XCTAssertTrue(setCookie.hasPrefix("__gateway="), setCookie)
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] { XCTAssertTrue(setCookie.contains(attribute), setCookie) }
        XCTAssertFalse(setCookie.contains("Secure"), "public_url is http")

        // me and verify see the same user; a spoofed header does not survive.
        let me = try browser.request("GET", URL(string: "/auth/me", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(me.response.status, 200)
        let meJSON = try me.response.json()
        XCTAssertEqual(meJSON["user_id"] as? String, userID)
        XCTAssertEqual((meJSON["identities"] as? [[String: Any]])?.first?["provider"] as? String, "mock")
        // Without trusted_proxies, verify believes no original URI (ForwardAuthTests: the rest).
        let verify = try browser.request(
            "GET", URL(string: "/auth/verify", relativeTo: base)!.absoluteURL, headers: [("X-Original-URI", "/app/")])
        XCTAssertEqual(verify.response.status, 400)
        XCTAssertNil(verify.response.header("X-Auth-User-Id"))
        _ = try gateway.child.waitFor("the trusted_proxies hint", in: { gateway.child.stderr }) {
            $0.contains("forward-auth question from a peer not in trusted_proxies") ? true : nil
        }
        let spoofed = try browser.request(
            "GET", URL(string: "/app/again", relativeTo: base)!.absoluteURL, headers: [("X-Auth-User-Id", "admin")])
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: try spoofed.response.json()), [userID])

        // Signing in again later yields the same stable user id.
        let again = Browser()
        let second = try signIn(again, base: base, path: "/other", sub: "alice")
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: try second.last!.response.json()), [userID])

        // The access log never carries the cookie or the code.
        let log = try gateway.settledLogs()
        let cookieValue = browser.cookies(for: base)["__gateway"] ?? "missing"
        XCTAssertFalse(log.contains(cookieValue), "the session cookie leaked into a log")
        XCTAssertFalse(log.contains("s3cret"), "the client secret leaked into a log")
        let callbackQuery = try XCTUnwrap(callbackHop.url.query)
        XCTAssertFalse(log.contains(callbackQuery), "the callback's code and state leaked into the access log")
        XCTAssertTrue(log.contains("/auth/mock/callback?…"), "the callback is logged without its query")
    }

    func testSignOutDeletesTheSessionServerSide() throws {
        let (_, _, base, _) = try setUp()
        let browser = Browser()
        try signIn(browser, base: base, sub: "bob")
        let stolen = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        let out = try browser.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: base)!.absoluteURL,
            headers: [("Origin", base.absoluteString), ("Sec-Fetch-Site", "same-origin")])
        XCTAssertEqual(out.response.status, 302)
        XCTAssertTrue(out.response.header("Set-Cookie")?.contains("Max-Age=0") ?? false)
        // The old cookie, replayed, no longer opens anything: the session is gone server-side.
        let replay = Browser()
        replay.setCookie("__gateway", stolen, for: base)
        let api = try RawHTTPClient(port: base.port!).request(
            "GET", "/app/x", headers: [("Cookie", "__gateway=\(stolen)"), ("Accept", "application/json")])
        XCTAssertEqual(api.status, 401)
    }

    func testCrossSiteSignOutIsRefused() throws {
        let (_, _, base, _) = try setUp()
        let browser = Browser()
        try signIn(browser, base: base, sub: "carol")
        let forged = try browser.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: base)!.absoluteURL,
            headers: [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")])
        XCTAssertEqual(forged.response.status, 403)
        // Origins are compared parsed: a look-alike that starts with our origin is someone else's.
        let lookAlike = try browser.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: base)!.absoluteURL,
            headers: [("Origin", base.absoluteString + ".evil.example")])
        XCTAssertEqual(lookAlike.response.status, 403)
        let still = try browser.request("GET", URL(string: "/app/", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(still.response.status, 200, "the session survives a forged sign-out")
    }

    func testAPIClientsGet401AndPublicPathsNeedNoSession() throws {
        let (_, gateway, _, _) = try setUp()
        let client = try gateway.client()
        let api = try client.request("GET", "/app/data", headers: [("Accept", "application/json")])
        XCTAssertEqual(api.status, 401)
        XCTAssertEqual(try api.json()["sign_in"] as? String, "/auth/sign_in")
        XCTAssertEqual(try client.request("GET", "/app/xhr", headers: [("X-Requested-With", "XMLHttpRequest")]).status, 401)
        // A POST's small unread body is read and dropped after the answer: the connection stays.
        let post = try client.request("POST", "/app/data", body: Array("x".utf8))
        XCTAssertEqual(post.status, 401)
        XCTAssertNil(post.header("Connection"))
        XCTAssertEqual(try client.request("GET", "/public/page").status, 200)
        XCTAssertEqual(try client.request("GET", "/auth/me").status, 401)
        XCTAssertEqual(try client.request("GET", "/auth/verify").status, 400)
    }

    func testTamperedAndForeignCookiesAreRefused() throws {
        let (_, gateway, base, _) = try setUp()
        let browser = Browser()
        try signIn(browser, base: base, sub: "dave")
        let good = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        let parts = good.split(separator: ".")
        // A middle character: the last one of a base64url id may carry only padding bits.
        var id = Array(parts[0])
        id[id.count / 2] = id[id.count / 2] == "A" ? "B" : "A"
        let tampered = String(id) + "." + parts[1]
        let forgedMAC = String(parts[0]) + ".AAAA" + String(parts[1].dropFirst(4))
        for cookie in [tampered, forgedMAC, String(parts[0]), "garbage"] {
            let response = try gateway.client().request(
                "GET", "/app/x", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")])
            XCTAssertEqual(response.status, 401, cookie)
        }
        let ok = try gateway.client().request("GET", "/app/x", headers: [("Cookie", "__gateway=\(good)")])
        XCTAssertEqual(ok.status, 200)
    }

    func testStateMustMatchTheBrowserAndIsSingleUse() throws {
        let (_, _, base, issuer) = try setUp()
        try setMockUser(issuer: issuer, sub: "erin", claims: ["email": "erin@example.com"])
        let browser = Browser()
        let start = try browser.request("GET", URL(string: "/auth/mock?next=/app/", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(start.response.status, 302)
        let form = try XCTUnwrap(start.location)
        let back = try browser.request("POST", form, form: [("sub", "erin")])
        let callback = try XCTUnwrap(back.location)

        // Another browser (no state cookie) cannot use this callback.
        XCTAssertEqual(try Browser().request("GET", callback).response.status, 400)
        // A wrong state with the right cookie is refused.
        let wrong = URL(string: callback.absoluteString.replacingOccurrences(of: "state=", with: "state=x"))!
        XCTAssertEqual(try browser.request("GET", wrong).response.status, 400)
        // Missing state.
        var parts = URLComponents(url: callback, resolvingAgainstBaseURL: false)!
        parts.queryItems = parts.queryItems?.filter { $0.name != "state" }
        XCTAssertEqual(try browser.request("GET", parts.url!).response.status, 400)
        // The real one works once...
        let cookieJar = browser.cookies(for: base)
        let done = try browser.request("GET", callback)
        XCTAssertEqual(done.response.status, 302)
        XCTAssertEqual(done.response.header("Location"), "/app/")
        XCTAssertFalse(browser.cookies(for: base).keys.contains { $0.hasPrefix("__gateway_state_") }, "the callback clears it")
        XCTAssertEqual(try browser.request("GET", callback).response.status, 400, "without the cookie")
        // ...and a replay of the same callback with a saved copy of the state cookie is refused:
        // nothing is kept server-side, but the provider redeems a code only once.
        let replay = Browser()
        for (name, value) in cookieJar where name != "__gateway" { replay.setCookie(name, value, for: base) }
        let replayed = try replay.request("GET", callback)
        XCTAssertEqual(replayed.response.status, 401)
        XCTAssertNil(replay.cookies(for: base)["__gateway"], "no session from a replay")
    }

    func testDeniedAtTheProviderShowsTheFlashMessage() throws {
        let (_, _, base, _) = try setUp()
        let browser = Browser()
        let start = try browser.request("GET", URL(string: "/auth/mock?next=/app/", relativeTo: base)!.absoluteURL)
        let denied = try browser.request("POST", start.location!, form: [("action", "deny")])
        let hops = try browser.follow(try XCTUnwrap(denied.location))
        let page = try XCTUnwrap(hops.last)
        XCTAssertEqual(page.url.path, "/auth/sign_in")
        XCTAssertTrue(page.response.text.contains("You denied the request to sign in."), page.response.text)
    }

    func testOpenRedirectCorpusLandsOnRoot() throws {
        let (_, _, base, _) = try setUp()
        for next in ["//evil.com", "/\\evil.com", "https://evil.com", "%2F%2Fevil.com", "/%09/evil.com", "javascript:alert(1)", "/%2F%2Fevil.com"] {
            let browser = Browser()
            let hops = try signIn(browser, base: base, path: "/auth/mock?next=" + Browser.encode(next), sub: "frank")
            let final = try XCTUnwrap(hops.first { $0.url.path == "/auth/mock/callback" })
            XCTAssertEqual(final.response.header("Location"), "/", next)
        }
    }

    func testAllowRulesGive403ToOthers() throws {
        let (_, _, base, issuer) = try setUp()
        try setMockUser(issuer: issuer, sub: "gina", claims: ["email": "gina@example.com", "email_verified": true])
        let browser = Browser()
        try signIn(browser, base: base, sub: "gina")
        XCTAssertEqual(try browser.request("GET", URL(string: "/admin/", relativeTo: base)!.absoluteURL).response.status, 403)
        try setMockUser(issuer: issuer, sub: "boss", claims: ["email": "boss@example.com", "email_verified": true])
        let boss = Browser()
        try signIn(boss, base: base, sub: "boss")
        XCTAssertEqual(try boss.request("GET", URL(string: "/admin/", relativeTo: base)!.absoluteURL).response.status, 200)
    }

    func testAutoRedirectSkipsTheSignInPageWithOneProvider() throws {
        let (_, _, base, _) = try setUp(extra: "auto_redirect on;")
        let first = try Browser().request("GET", URL(string: "/app/x?y=1", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(first.response.status, 302)
        XCTAssertEqual(first.response.header("Location"), "/auth/mock?next=%2Fapp%2Fx%3Fy%3D1")
    }

    func testSessionEndsAfterItsLifetime() throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s; }",
            store: "redis://127.0.0.1:\(try redisPort())/0", lifetime: "2s")
        let browser = Browser()
        try signIn(browser, base: base, path: "/app/", sub: "short-lived")
        let cookie = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        let api = [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")]
        XCTAssertEqual(try gateway.client().request("GET", "/app/now", headers: api).status, 200)
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(try gateway.client().request("GET", "/app/later", headers: api).status, 401)
    }

    func testTwoProvidersAreOfferedInOrderAndLinkOneUser() throws {
        let upstream = try startUpstream()
        let first = try startMockProvider()
        let second = try startMockProvider()
        let (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider work { type oidc; issuer \(first); client_id a; client_secret a; display_name "Work"; }
                provider home { type oidc; issuer \(second); client_id b; client_secret b; display_name "Home"; }
                """,
            store: "redis://127.0.0.1:\(try redisPort())/0")
        let browser = Browser()
        let page = try browser.request("GET", URL(string: "/auth/sign_in", relativeTo: base)!.absoluteURL).response.text
        let work = try XCTUnwrap(page.range(of: "Sign in with Work")), home = try XCTUnwrap(page.range(of: "Sign in with Home"))
        XCTAssertLessThan(work.lowerBound, home.lowerBound, "buttons follow the config order")

        let signedIn = try signIn(browser, base: base, path: "/auth/work?next=/app/", sub: "pat")
        let userID = try XCTUnwrap(headerValues("X-Auth-User-Id", in: try signedIn.last!.response.json()).first)
        // While signed in, link the other provider's identity to the same user.
        let linked = try signIn(browser, base: base, path: "/auth/home?link=1&next=/app/linked", sub: "pat-at-home", headers: ownPage)
        let echo = try linked.last!.response.json()
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: echo), [userID])
        XCTAssertEqual(headerValues("X-Auth-Provider", in: echo), ["home"])
        XCTAssertEqual(Set((headerValues("X-Auth-Identities", in: echo).first ?? "").split(separator: ",")), ["work:pat", "home:pat-at-home"])
        // Signing in later with the second identity alone lands on the same user.
        let later = try signIn(Browser(), base: base, path: "/auth/home?next=/app/", sub: "pat-at-home")
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: try later.last!.response.json()), [userID])
    }

    func testMemoryStoreSignsInToo() throws {
        let (_, _, base, _) = try setUp(store: "memory")
        let browser = Browser()
        let hops = try signIn(browser, base: base, sub: "hank")
        XCTAssertEqual(hops.last?.response.status, 200)
    }
}
