// The account page in headless Chromium: sign in with A, link B, see both, unlink B, and sign
// out a session another client holds, which then finds itself signed out.
import Foundation
import GatewayTestSupport
import XCTest

final class AccountBrowserTests: IntegrationTestCase {
    func testChromiumLinksUnlinksAndSignsOutAnotherClientsSession() throws {
        let upstream = try startUpstream()
        let first = try startMockProvider()
        let second = try startMockProvider()
        let subA = "acc-\(UUID().uuidString.prefix(6))"
        let subB = subA + "-b"
        try setMockUser(issuer: first, sub: subA, claims: ["email": "\(subA)@example.com", "email_verified": true])
        try setMockUser(issuer: second, sub: subB, claims: ["email": "\(subB)@example.org", "email_verified": false])
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider alpha { type oidc; issuer \(first); client_id a; client_secret a; display_name "Alpha"; }
                provider beta { type oidc; issuer \(second); client_id b; client_secret b; display_name "Beta"; }
                """,
            store: "redis://127.0.0.1:\(try redisPort())/0")
        // Another client (a phone, say) signed in as the same person before the browser.
        let phone = Browser()
        try signIn(phone, base: base, path: "/auth/alpha?next=/app/", sub: subA)
        let protected = URL(string: "/app/x", relativeTo: base)!.absoluteURL
        XCTAssertEqual(try phone.request("GET", protected).response.status, 200)

        let screenshot = TestPaths.root.appendingPathComponent(".build/browser-account-failure.png")
        let run = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [
                TestPaths.fixtures.appendingPathComponent("browser_account.py").path, base.absoluteString, subA, subB,
                screenshot.path,
            ], directory: directory, name: "chromium-account")
        track(run)
        let status = run.waitForExit(timeout: 150)
        let output = run.stdout
        XCTAssertEqual(
            status, 0,
            "browser account test failed (screenshot: \(screenshot.path)): \(output)\n\(run.stderr.suffix(3000))\n\(gateway.child.stderr.suffix(2000))"
        )
        let result =
            try JSONSerialization.jsonObject(with: Data((output.split(separator: "\n").last ?? "{}").utf8))
            as? [String: Any] ?? [:]
        func providers(_ step: String) -> [String] {
            (((result[step] as? [String: Any])?["identities"] as? [[String: Any]]) ?? []).compactMap {
                $0["provider"] as? String
            }
        }
        func sessions(_ step: String) -> [[String: Any]] {
            ((result[step] as? [String: Any])?["sessions"] as? [[String: Any]]) ?? []
        }
        XCTAssertEqual(providers("first"), ["Alpha"])
        XCTAssertEqual(sessions("first").count, 2, "the phone's session and this one")
        XCTAssertEqual(providers("linked"), ["Alpha", "Beta"], "both identities after linking")
        XCTAssertEqual(sessions("linked").count, 2, "the session the link replaced in this browser ended")
        let linked = ((result["linked"] as? [String: Any])?["identities"] as? [[String: Any]]) ?? []
        XCTAssertTrue((linked.first?["email"] as? String ?? "").hasSuffix("(verified)"), "\(linked)")
        XCTAssertTrue((linked.last?["email"] as? String ?? "").hasSuffix("(not verified)"), "\(linked)")
        XCTAssertEqual(providers("unlinked"), ["Alpha"], "Beta is gone")
        XCTAssertEqual((result["unlinked"] as? [String: Any])?["link_beta_offered"] as? Int, 1)
        XCTAssertEqual(sessions("unlinked").count, 2)
        XCTAssertEqual(sessions("after_sign_out").count, 1)
        XCTAssertEqual((result["after_sign_out"] as? [String: Any])?["only"] as? Bool, true)
        XCTAssertEqual(try phone.request("GET", protected).response.status, 302, "the phone finds itself signed out")

        let a11y = try XCTUnwrap(result["a11y"] as? [String: Any])
        XCTAssertEqual(a11y["lang"] as? String, "en")
        XCTAssertEqual(a11y["h1"] as? Int, 1)
        XCTAssertEqual(a11y["h2"] as? [String], ["Sign-in accounts", "Active sessions"])
        XCTAssertEqual(a11y["scripts"] as? Int, 0, "it works without JavaScript")
        XCTAssertEqual(a11y["positive_tabindex"] as? Int, 0)
        XCTAssertEqual(a11y["buttons_outside_forms"] as? Int, 0)
        XCTAssertEqual(a11y["buttons_without_names"] as? Int, 0)
        XCTAssertEqual(a11y["buttons_not_submit"] as? Int, 0)
        XCTAssertEqual(a11y["focus_order_matches_dom"] as? Bool, true, "\(a11y["focus_order"] ?? "")")
        XCTAssertGreaterThanOrEqual(a11y["min_contrast"] as? Double ?? 0, 4.5, "WCAG AA for text")
    }
}
