// The real gateway signing in through the GitHub, Facebook and generic OAuth 2 presets, against
// Fixtures/api_emulator.py, with several providers on one sign-in page.
import Foundation
import GatewayTestSupport
import XCTest

final class PresetSignInTests: IntegrationTestCase {
    private var emulatorPort = 0
    private var gateway: GatewayProcess!

    private func startAll(store: String = "memory") throws -> URL {
        let upstream = try startUpstream()
        emulatorPort = try startAPIEmulator()
        let api = "http://127.0.0.1:\(emulatorPort)"
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider github { client_id client-id; client_secret client-secret;
                    authorize_url \(api)/login/oauth/authorize; token_url \(api)/login/oauth/access_token; api_url \(api); }
                provider facebook { client_id client-id; client_secret client-secret;
                    authorize_url \(api)/v19.0/dialog/oauth; token_url \(api)/v19.0/oauth/access_token; api_url \(api)/v19.0; }
                provider corp { type oauth2; client_id client-id; client_secret client-secret; display_name "Corp SSO";
                    authorize_url \(api)/oauth2/authorize; token_url \(api)/oauth2/token; userinfo_url \(api)/userinfo;
                    claim_id user_id; }
                """,
            store: store, discoveringProviders: 0)
        self.gateway = gateway
        return base
    }

    private func putUser(_ name: String, _ document: [String: Any]) throws {
        try putAPIUser(port: emulatorPort, name, document)
    }

    /// From a protected page: the sign-in page, `provider`'s button, the emulator's consent form
    /// submitted as `login`, and every redirect after it.
    @discardableResult
    private func signIn(
        _ browser: Browser, base: URL, provider: String, login: String, decision: String = "allow",
        extra: [(String, String)] = [], path: String = "/app/page"
    ) throws -> [Browser.Hop] {
        var hops = try browser.follow(URL(string: path, relativeTo: base)!.absoluteURL)
        guard let page = hops.last, page.url.path == "/auth/sign_in", page.response.status == 200 else {
            throw TestFailure("expected the sign-in page, got \(hops.map { "\($0.response.status) \($0.url)" })")
        }
        let marker = "href=\"/auth/\(provider)?"
        guard let start = page.response.text.range(of: marker),
            let end = page.response.text[start.upperBound...].firstIndex(of: "\"")
        else { throw TestFailure("no \(provider) button: \(page.response.text)") }
        let href =
            "/auth/\(provider)?"
            + page.response.text[start.upperBound..<end].replacingOccurrences(of: "&amp;", with: "&")
        hops += try browser.follow(URL(string: href, relativeTo: base)!.absoluteURL)
        guard let form = hops.last, form.url.port == emulatorPort, form.response.status == 200 else {
            throw TestFailure("expected the emulator's form, got \(hops.map { "\($0.response.status) \($0.url)" })")
        }
        let submitted = try browser.request("POST", form.url, form: [("login", login), ("decision", decision)] + extra)
        hops.append(submitted)
        guard let callback = submitted.location else { throw TestFailure("the emulator did not redirect back") }
        hops += try browser.follow(callback)
        return hops
    }

    private func octocat(email: String, verified: Bool) -> [String: Any] {
        [
            "github": ["login": "octocat", "id": 583231, "name": "The Octocat", "email": NSNull()],
            "emails": [["email": email, "verified": verified, "primary": true, "visibility": "private"]],
        ]
    }

    func testSignInPageOffersEveryProviderInConfigOrder() throws {
        let base = try startAll()
        let page = try Browser().follow(URL(string: "/app/page", relativeTo: base)!.absoluteURL).last!.response.text
        let positions = ["Sign in with GitHub", "Sign in with Facebook", "Sign in with Corp SSO"].map {
            page.range(of: $0)?.lowerBound
        }
        XCTAssertFalse(positions.contains(nil), page)
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "config order")
    }

    func testGitHubSignInReachesTheApp() throws {
        let base = try startAll()
        try putUser("octocat", octocat(email: "octocat@github.com", verified: true))
        let hops = try signIn(Browser(), base: base, provider: "github", login: "octocat")
        let landed = try XCTUnwrap(hops.last)
        XCTAssertEqual(landed.url.path, "/app/page")
        let echo = try landed.response.json()
        XCTAssertEqual(headerValues("X-Auth-Provider", in: echo), ["github"])
        XCTAssertEqual(headerValues("X-Auth-Identities", in: echo), ["github:583231"])
        XCTAssertEqual(headerValues("X-Auth-Email", in: echo), ["octocat@github.com"])
        XCTAssertEqual(headerValues("X-Auth-Name", in: echo), ["The Octocat"])
        let log = try gateway.settledLogs()
        for secret in ["client-secret", "gho_"] {
            XCTAssertNil(log.split(separator: "\n").first { $0.contains(secret) }, "\(secret) in the log")
        }
    }

    func testVerifiedEmailsLinkGitHubFacebookAndOAuth2ToOneUser() throws {
        let base = try startAll()
        try putUser(
            "jane",
            [
                "github": ["login": "jane", "id": 1001, "email": NSNull()],
                "emails": [["email": "jane@example.com", "verified": true, "primary": true]],
                "facebook": ["id": "10158456789012345", "name": "Jane Doe", "email": "jane@example.com"],
                "userinfo": ["user_id": "j-1", "email": "jane@example.com", "email_verified": true],
            ])
        var users: [String] = []
        for provider in ["github", "facebook", "corp"] {
            let landed = try XCTUnwrap(signIn(Browser(), base: base, provider: provider, login: "jane").last)
            XCTAssertEqual(landed.url.path, "/app/page", provider)
            users += headerValues("X-Auth-User-Id", in: try landed.response.json())
        }
        XCTAssertEqual(users.count, 3)
        XCTAssertEqual(Set(users).count, 1, "one user, whichever button was pressed: \(users)")
    }

    func testUnverifiedGitHubEmailNeverLinks() throws {
        let base = try startAll()
        try putUser("mallory", octocat(email: "jane@example.com", verified: false))
        try putUser("jane", ["facebook": ["id": "42", "name": "Jane", "email": "jane@example.com"]])
        let facebook = try XCTUnwrap(signIn(Browser(), base: base, provider: "facebook", login: "jane").last)
        let github = try XCTUnwrap(signIn(Browser(), base: base, provider: "github", login: "mallory").last)
        let janeID = headerValues("X-Auth-User-Id", in: try facebook.response.json())
        let malloryID = headerValues("X-Auth-User-Id", in: try github.response.json())
        XCTAssertEqual(janeID.count, 1)
        XCTAssertNotEqual(janeID, malloryID, "an unverified email must not take over Jane's user")
    }

    func testFacebookWithoutTheEmailPermissionSignsInWithoutEmail() throws {
        let base = try startAll()
        try putUser("jane", ["facebook": ["id": "42", "name": "Jane", "email": "jane@example.com"]])
        let landed = try XCTUnwrap(
            signIn(Browser(), base: base, provider: "facebook", login: "jane", extra: [("decline", "email")]).last)
        let echo = try landed.response.json()
        XCTAssertEqual(headerValues("X-Auth-Identities", in: echo), ["facebook:42"])
        XCTAssertEqual(headerValues("X-Auth-Email", in: echo).filter { !$0.isEmpty }, [])
    }

    func testDenyingAtGitHubShowsTheDeniedFlash() throws {
        let base = try startAll()
        let hops = try signIn(Browser(), base: base, provider: "github", login: "octocat", decision: "deny")
        let last = try XCTUnwrap(hops.last)
        XCTAssertEqual(last.url.path, "/auth/sign_in")
        XCTAssertTrue(last.response.text.contains("You denied the request to sign in."), last.response.text)
    }
}
