// RP-Initiated Logout against oidc-provider-mock (its discovery lists end_session_endpoint):
// sign-out ends the local session, then sends the browser to the provider and back.
import Foundation
import GatewayTestSupport
import XCTest

final class ProviderLogoutTests: IntegrationTestCase {
    private var base: URL!
    private var issuer = ""
    private var redis = 0

    private func start(extra: String = "") throws {
        let upstream = try startUpstream()
        issuer = try startMockProvider()
        redis = try redisPort()
        (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gw-client; client_secret s; }",
            store: "redis://127.0.0.1:\(redis)/0", extra: extra)
    }

    private func url(_ path: String) -> URL { URL(string: path, relativeTo: base)!.absoluteURL }

    private func signOut(_ browser: Browser, _ query: String = "") throws -> TestResponse {
        try browser.request("POST", url("/auth/sign_out" + query), headers: [("Origin", base.absoluteString)]).response
    }

    /// Every session JSON in Redis that contains `marker` (redis-cli, so the test reads what
    /// the server holds, not what the gateway says).
    private func storedSessions(containing marker: String) throws -> [String] {
        let script = """
            local out = {}
            for _, k in ipairs(redis.call('KEYS', 'session:*')) do
              local v = redis.call('GET', k)
              if v and string.find(v, ARGV[1], 1, true) then out[#out + 1] = v end
            end
            return out
            """
        let cli = try FixtureProcess(
            executable: "/usr/bin/env",
            arguments: ["redis-cli", "-p", String(redis), "--raw", "EVAL", script, "0", marker],
            directory: directory, name: "redis-cli-\(UUID().uuidString.prefix(4))")
        cli.waitForExit(timeout: 10)
        return cli.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    private func claims(ofJWT token: String) throws -> [String: Any] {
        var part = String(token.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while part.count % 4 != 0 { part += "=" }
        let data = try XCTUnwrap(Data(base64Encoded: part))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testSignOutEndsTheSessionThenTheProvidersAndComesBackToTheSignInPage() throws {
        try start(extra: "end_provider_session on;")
        let sub = "lena-\(UUID().uuidString.prefix(6))"
        try setMockUser(issuer: issuer, sub: sub, claims: ["email": "\(sub)@example.com", "email_verified": true])
        let browser = Browser()
        try signIn(browser, base: base, sub: sub)
        let cookie = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        let stored = try storedSessions(containing: "\"subject\":\"\(sub)\"")
        XCTAssertEqual(stored.count, 1, "one session in Redis")

        let out = try signOut(browser)
        XCTAssertEqual(out.status, 303, out.text)
        let location = try XCTUnwrap(URLComponents(string: try XCTUnwrap(out.header("Location"))))
        XCTAssertEqual(
            "http://\(location.host ?? ""):\(location.port ?? 0)\(location.path)", issuer + "/oauth2/end_session")
        var query: [String: String] = [:]
        for item in location.queryItems ?? [] { query[item.name] = item.value }
        XCTAssertEqual(query["client_id"], "gw-client")
        XCTAssertEqual(query["post_logout_redirect_uri"], base.absoluteString + "/auth/sign_in?flash=signed_out")
        XCTAssertGreaterThanOrEqual(query["state"]?.count ?? 0, 22)
        let hint = try XCTUnwrap(query["id_token_hint"])
        let idToken = try claims(ofJWT: hint)
        XCTAssertEqual(idToken["sub"] as? String, sub)
        XCTAssertEqual(idToken["iss"] as? String, issuer)
        XCTAssertTrue("\(idToken["aud"] ?? "")".contains("gw-client"))
        // Redis held the token only sealed.
        for part in hint.split(separator: ".") {
            XCTAssertFalse(stored[0].contains(part), "Redis saw the ID token in clear")
        }
        XCTAssertTrue(stored[0].contains("\"sealedIDToken\":"), stored[0])

        // The local session ended first: the old cookie opens nothing.
        let replay = Browser()
        replay.setCookie("__gateway", cookie, for: base)
        XCTAssertEqual(try replay.request("GET", url("/app/x")).response.status, 302)
        XCTAssertTrue(try storedSessions(containing: "\"subject\":\"\(sub)\"").isEmpty)

        // The provider's page, its confirmation, and back to our sign-in page with the state.
        let page = try browser.request("GET", try XCTUnwrap(location.url))
        XCTAssertEqual(page.response.status, 200)
        let html = page.response.text
        let marker = "name=\"redirect_uri\" value=\""
        let start = try XCTUnwrap(html.range(of: marker))
        let back = String(html[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
        XCTAssertTrue(back.hasPrefix(base.absoluteString + "/auth/sign_in?flash=signed_out"), back)
        XCTAssertTrue(back.contains("state=" + query["state"]!), back)
        let confirmed = try browser.request(
            "POST", URL(string: issuer + "/oauth2/end_session/confirm")!, form: [("redirect_uri", back)])
        let returned = try XCTUnwrap(confirmed.location)
        let landing = try browser.request("GET", returned).response
        XCTAssertEqual(landing.status, 200)
        XCTAssertTrue(landing.text.contains("You are signed out."), landing.text)
    }

    func testWithoutTheOptionSignOutIsLocalAndProviderOneAsksPerRequest() throws {
        try start()
        let sub = "max-\(UUID().uuidString.prefix(6))"
        let browser = Browser()
        try signIn(browser, base: base, sub: sub)
        let local = try signOut(browser)
        XCTAssertEqual(local.status, 302)
        XCTAssertEqual(local.header("Location"), "/auth/sign_in?flash=signed_out")
        try signIn(browser, base: base, sub: sub)
        let both = try signOut(browser, "?provider=1")
        XCTAssertEqual(both.status, 303)
        XCTAssertTrue(both.header("Location")?.hasPrefix(issuer + "/oauth2/end_session?id_token_hint=") ?? false)
        XCTAssertEqual(try browser.request("GET", url("/app/x")).response.status, 302, "signed out here too")
    }
}
