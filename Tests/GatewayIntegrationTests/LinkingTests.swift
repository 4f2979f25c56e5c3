// One user, many identities: auto-link by verified email, explicit link and unlink, no stealing.
import Foundation
import XCTest

final class LinkingTests: IntegrationTestCase {
    private var base: URL!
    private var work = ""
    private var home = ""
    private var gateways: [GatewayProcess] = []

    /// Two OIDC providers ("work" and "home") in front of the test upstream, sessions in Redis.
    private func start() throws {
        let upstream = try startUpstream()
        work = try startMockProvider()
        home = try startMockProvider()
        let (gateway, url) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider work { type oidc; issuer \(work); client_id a; client_secret a; display_name "Work"; }
                provider home { type oidc; issuer \(home); client_id b; client_secret b; display_name "Home"; }
                """,
            store: "redis://127.0.0.1:\(try redisPort())/0")
        base = url
        gateways.append(gateway)
    }

    private func userID(_ hops: [Browser.Hop]) throws -> String {
        try XCTUnwrap(headerValues("X-Auth-User-Id", in: try hops.last!.response.json()).first)
    }

    private func post(_ browser: Browser, _ path: String) throws -> TestResponse {
        try browser.request(
            "POST", URL(string: path, relativeTo: base)!.absoluteURL,
            headers: [("Origin", base.absoluteString), ("Accept", "application/json")]
        ).response
    }

    func testVerifiedEmailLinksAcrossProvidersAndUnverifiedNeverDoes() throws {
        try start()
        let gatewayLog = { self.gateways.last?.child.stderr ?? "" }
        let sub = "linker-\(UUID().uuidString.prefix(6))"
        let email = "\(sub)@example.com"
        try setMockUser(issuer: work, sub: sub, claims: ["email": email, "email_verified": true])
        try setMockUser(issuer: home, sub: sub + "-home", claims: ["email": email, "email_verified": true])
        try setMockUser(issuer: home, sub: sub + "-fake", claims: ["email": email, "email_verified": false])
        let first = try userID(try signIn(Browser(), base: base, path: "/auth/work?next=/app/", sub: sub))
        let second = try userID(try signIn(Browser(), base: base, path: "/auth/home?next=/app/", sub: sub + "-home"))
        XCTAssertEqual(second, first, "a verified email links the new identity to its owner")
        let impostor = try userID(try signIn(Browser(), base: base, path: "/auth/home?next=/app/", sub: sub + "-fake"))
        XCTAssertNotEqual(impostor, first, "an unverified email must never link (account takeover)")
        XCTAssertTrue(gatewayLog().contains("did not mark the email verified"), "the reason goes in the log")
    }

    func testExplicitLinkUnlinkAndTheLastIdentityStays() throws {
        try start()
        let browser = Browser()
        let owner = try userID(try signIn(browser, base: base, path: "/auth/work?next=/app/", sub: "sam"))
        let linked = try signIn(browser, base: base, path: "/auth/home?link=1&next=/app/", sub: "sam-home", headers: ownPage)
        XCTAssertEqual(try userID(linked), owner)
        let me = try browser.request("GET", URL(string: "/auth/me", relativeTo: base)!.absoluteURL).response.json()
        let providers = Set(((me["identities"] as? [[String: Any]]) ?? []).compactMap { $0["provider"] as? String })
        XCTAssertEqual(providers, ["work", "home"])

        let unlinked = try post(browser, "/auth/identities/work/unlink")
        XCTAssertEqual(unlinked.status, 200, unlinked.text)
        let after = try browser.request("GET", URL(string: "/app/after", relativeTo: base)!.absoluteURL).response.json()
        XCTAssertEqual(headerValues("X-Auth-Identities", in: after), ["home:sam-home"])
        XCTAssertEqual(try post(browser, "/auth/identities/home/unlink").status, 409, "the last identity stays")
        XCTAssertEqual(try post(browser, "/auth/identities/work/unlink").status, 404)
        // Cross-site unlinks are refused.
        let forged = try browser.request(
            "POST", URL(string: "/auth/identities/home/unlink", relativeTo: base)!.absoluteURL,
            headers: [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")])
        XCTAssertEqual(forged.response.status, 403)
    }

    func testUnlinkEndsSessionsSignedInWithThatIdentity() throws {
        try start()
        // 200 while signed in; a browser without a session is sent to sign in (302).
        func status(_ browser: Browser) throws -> Int {
            try browser.request("GET", URL(string: "/app/x", relativeTo: base)!.absoluteURL).response.status
        }
        let viaWork = Browser()
        let owner = try userID(try signIn(viaWork, base: base, path: "/auth/work?next=/app/", sub: "una"))
        let manager = Browser()
        try signIn(manager, base: base, path: "/auth/work?next=/app/", sub: "una")
        XCTAssertEqual(try userID(try signIn(manager, base: base, path: "/auth/home?link=1&next=/app/", sub: "una-home", headers: ownPage)), owner)
        let viaHome = Browser()
        XCTAssertEqual(try userID(try signIn(viaHome, base: base, path: "/auth/home?next=/app/", sub: "una-home")), owner)

        // The manager (signed in with home now) unlinks work: work's sessions end, home's stay.
        XCTAssertEqual(try post(manager, "/auth/identities/work/unlink").status, 200)
        XCTAssertEqual(try status(viaWork), 302, "a session signed in with the unlinked identity must end")
        XCTAssertEqual(try status(manager), 200)
        XCTAssertEqual(try status(viaHome), 200)

        // Unlinking the identity of the current session ends it too, and clears its cookie.
        try signIn(manager, base: base, path: "/auth/work?link=1&next=/app/", sub: "una", headers: ownPage)
        let replay = Browser()
        replay.setCookie("__gateway", try XCTUnwrap(manager.cookies(for: base)["__gateway"]), for: base)
        let own = try post(manager, "/auth/identities/work/unlink")
        XCTAssertEqual(own.status, 200, own.text)
        XCTAssertEqual(try own.json()["signed_out"] as? Bool, true)
        XCTAssertTrue(own.header("Set-Cookie")?.contains("Max-Age=0") ?? false)
        XCTAssertEqual(try status(replay), 302, "gone server-side, not only from the browser")
        XCTAssertEqual(try status(viaHome), 200)
    }

    func testCrossSiteLinkIsRefused() throws {
        try start()
        let browser = Browser()
        try signIn(browser, base: base, path: "/auth/work?next=/app/", sub: "cara")
        let link = URL(string: "/auth/home?link=1&next=/app/", relativeTo: base)!.absoluteURL
        func status(_ headers: [(String, String)]) throws -> Int {
            let hop = try browser.request("GET", link, headers: headers)
            if hop.response.status == 403 {
                XCTAssertNil(hop.response.header("Set-Cookie"), "a refused link starts no attempt")
            }
            return hop.response.status
        }
        XCTAssertEqual(try status([("Sec-Fetch-Site", "cross-site")]), 403)
        XCTAssertEqual(try status([("Sec-Fetch-Site", "same-site")]), 403, "a sibling subdomain is not our page")
        XCTAssertEqual(try status([("Sec-Fetch-Site", "cross-site"), ("Referer", base.absoluteString + "/auth/account")]), 403)
        XCTAssertEqual(try status([("Origin", "https://evil.example")]), 403)
        XCTAssertEqual(try status([("Referer", "https://evil.example/page")]), 403)
        XCTAssertEqual(try status([]), 403, "no evidence of our own page")
        XCTAssertEqual(try Browser().request("GET", link, headers: [("Sec-Fetch-Site", "cross-site")]).response.status, 403)
        // Our own pages (or a typed URL) still start the link.
        XCTAssertEqual(try status([("Sec-Fetch-Site", "same-origin")]), 302)
        XCTAssertEqual(try status([("Sec-Fetch-Site", "none")]), 302)
        XCTAssertEqual(try status([("Referer", base.absoluteString + "/auth/account")]), 302)
        XCTAssertEqual(try status([("Origin", base.absoluteString)]), 302)
        let me = try browser.request("GET", URL(string: "/auth/me", relativeTo: base)!.absoluteURL).response.json()
        XCTAssertEqual(((me["identities"] as? [[String: Any]]) ?? []).count, 1, "nothing was linked")
    }

    func testLinkingSomeoneElsesIdentityIsRefusedAndChangesNothing() throws {
        try start()
        let victim = Browser()
        let victimID = try userID(try signIn(victim, base: base, path: "/auth/work?next=/app/", sub: "vic"))
        try signIn(victim, base: base, path: "/auth/home?link=1&next=/app/", sub: "vic-home", headers: ownPage)

        let thief = Browser()
        let thiefID = try userID(try signIn(thief, base: base, path: "/auth/work?next=/app/", sub: "thief"))
        let attempt = try signIn(thief, base: base, path: "/auth/home?link=1&next=/app/", sub: "vic-home", headers: ownPage)
        let refused = try XCTUnwrap(attempt.last)
        XCTAssertEqual(refused.response.status, 409)
        XCTAssertTrue(refused.response.text.contains("already linked to another user"), refused.response.text)

        let thiefMe = try thief.request("GET", URL(string: "/auth/me", relativeTo: base)!.absoluteURL).response.json()
        XCTAssertEqual(thiefMe["user_id"] as? String, thiefID)
        XCTAssertEqual(((thiefMe["identities"] as? [[String: Any]]) ?? []).count, 1)
        // The identity still signs its owner in.
        XCTAssertEqual(try userID(try signIn(Browser(), base: base, path: "/auth/home?next=/app/", sub: "vic-home")), victimID)
    }
}
