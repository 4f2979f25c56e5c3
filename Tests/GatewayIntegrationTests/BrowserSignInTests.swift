// Headless Chromium through the whole sign-in: protected URL, provider form, back to the app.
import Foundation
import GatewayTestSupport
import XCTest

final class BrowserSignInTests: IntegrationTestCase {
    func testChromiumSignsInAndLandsOnTheAppShowingXAuthEmail() throws {
        let demo = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [TestPaths.root.appendingPathComponent("deploy/demo-app.py").path, "--port", "0"],
            directory: directory, name: "demo-app")
        track(demo)
        let appPort = try demo.waitForPort("the demo app")
        let issuer = try startMockProvider()
        try setMockUser(issuer: issuer, sub: "browser-user", claims: ["email": "browser@example.com", "email_verified": true])
        let (gateway, base) = try startSignInGateway(
            upstreamPort: appPort,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s; }",
            store: "redis://127.0.0.1:\(try redisPort())/0")
        let screenshot = TestPaths.root.appendingPathComponent(".build/browser-sign-in-failure.png")
        let run = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [
                TestPaths.fixtures.appendingPathComponent("browser_sign_in.py").path, base.absoluteString + "/app/dashboard",
                "browser-user", "browser@example.com", screenshot.path,
            ], directory: directory, name: "chromium")
        track(run)
        let status = run.waitForExit(timeout: 90)
        let output = run.stdout
        XCTAssertEqual(status, 0, "browser test failed (screenshot: \(screenshot.path)): \(output)\n\(run.stderr.suffix(3000))\n\(gateway.child.stderr.suffix(2000))")
        let result = try JSONSerialization.jsonObject(with: Data((output.split(separator: "\n").last ?? "{}").utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(result["x_auth_email"] as? String, "browser@example.com")
        XCTAssertEqual(result["final_url"] as? String, base.absoluteString + "/app/dashboard")
        XCTAssertTrue((result["x_auth_user_id"] as? String)?.hasPrefix("u_") ?? false, "\(result)")
    }

    func testChromiumSignsInWithOneProviderThenLinksAnotherAndKeepsTheUser() throws {
        let demo = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [TestPaths.root.appendingPathComponent("deploy/demo-app.py").path, "--port", "0"],
            directory: directory, name: "demo-app-link")
        track(demo)
        let appPort = try demo.waitForPort("the demo app")
        let first = try startMockProvider()
        let second = try startMockProvider()
        try setMockUser(issuer: first, sub: "ana", claims: ["email": "ana@example.com", "email_verified": true])
        try setMockUser(issuer: second, sub: "ana-b", claims: ["email": "ana.b@example.org", "email_verified": true])
        let (gateway, base) = try startSignInGateway(
            upstreamPort: appPort,
            providers: """
                provider alpha { type oidc; issuer \(first); client_id a; client_secret a; display_name "Alpha"; }
                provider beta { type oidc; issuer \(second); client_id b; client_secret b; display_name "Beta"; }
                """,
            store: "redis://127.0.0.1:\(try redisPort())/0")
        let screenshot = TestPaths.root.appendingPathComponent(".build/browser-link-failure.png")
        let run = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [
                TestPaths.fixtures.appendingPathComponent("browser_sign_in.py").path, base.absoluteString + "/app/home",
                "ana", "ana@example.com", screenshot.path, base.absoluteString + "/auth/beta?link=1&next=/app/linked",
                "ana-b",
            ], directory: directory, name: "chromium-link")
        track(run)
        let status = run.waitForExit(timeout: 120)
        let output = run.stdout
        XCTAssertEqual(status, 0, "browser link test failed (screenshot: \(screenshot.path)): \(output)\n\(run.stderr.suffix(3000))\n\(gateway.child.stderr.suffix(2000))")
        let result = try JSONSerialization.jsonObject(with: Data((output.split(separator: "\n").last ?? "{}").utf8)) as? [String: Any] ?? [:]
        let before = try XCTUnwrap(result["x_auth_user_id"] as? String)
        XCTAssertEqual(result["linked_user_id"] as? String, before, "linking keeps one X-Auth-User-Id")
        XCTAssertEqual(Set(((result["linked_identities"] as? String) ?? "").split(separator: ",")), ["alpha:ana", "beta:ana-b"])
        XCTAssertEqual(result["linked_url"] as? String, base.absoluteString + "/app/linked")
    }
}
