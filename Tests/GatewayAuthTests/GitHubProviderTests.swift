// GitHubProvider against the API emulator: GitHub's documented shapes and its email and org edge cases.
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class GitHubProviderTests: PresetTestCase {
    // Two items a page, so emails and orgs are read across pages by following `Link`.
    override var emulatorArguments: [String] { ["--max-per-page", "2"] }

    private func provider(secret: String = "client-secret", _ adjust: (inout GitHubSettings) -> Void = { _ in })
        -> GitHubProvider
    {
        var settings = GitHubSettings(
            client: client(
                secret: secret, tokenAuth: GitHubSettings.defaultTokenAuth, scopes: GitHubSettings.defaultScopes),
            authorizeURL: "\(emulator.base)/login/oauth/authorize",
            tokenURL: "\(emulator.base)/login/oauth/access_token", apiURL: "\(emulator.base)/")
        adjust(&settings)
        return GitHubProvider(
            name: "github", displayName: "github", settings: settings, http: http, queue: queue, logger: nil)
    }

    /// GitHub's documentation example user, with a verified primary and a verified secondary email.
    private func putOctocat(publicEmail: Any = "octocat@github.com", emails: [[String: Any]]? = nil) throws {
        try putUser(
            "octocat",
            [
                "github": ["login": "octocat", "id": 583231, "name": "The Octocat", "email": publicEmail],
                "emails": emails ?? [
                    ["email": "other@example.com", "verified": true, "primary": false, "visibility": NSNull()],
                    ["email": "octocat@github.com", "verified": true, "primary": true, "visibility": "public"],
                ],
                "orgs": [
                    ["login": "GitHub", "public": true], ["login": "Acme-Corp", "public": false], ["login": "octo-org"],
                ],
            ])
    }

    func testPrimaryVerifiedEmailIsTheVerifiedEmail() throws {
        try putOctocat()
        let identity = try signIn(provider(), as: "octocat").get()
        XCTAssertFalse(identity.tokens?.accessToken.isEmpty ?? true, "the sign-in keeps the token")
        XCTAssertEqual(
            identity.keeping(nil),  // its tokens: ProviderTokensTests
            VerifiedIdentity(
                provider: "github", subject: "583231", email: "octocat@github.com", emailVerified: true,
                login: "octocat",
                name: "The Octocat"))
    }

    func testSendsTheDocumentedRequests() throws {
        try putOctocat()
        let start = try begin(provider())
        let authorize = try XCTUnwrap(URLComponents(string: start.authorizationURL)?.queryItems)
        func param(_ name: String) -> String? { authorize.first { $0.name == name }?.value }
        XCTAssertEqual(param("scope"), "read:user user:email")
        XCTAssertEqual(param("code_challenge_method"), "S256")
        XCTAssertEqual(param("code_challenge"), PKCE.challenge(for: start.remembered.verifier))
        XCTAssertEqual(param("state"), start.key)
        XCTAssertEqual(start.remembered.nonce, "")
        let query = try visit(start.authorizationURL, login: "octocat")
        _ = try finish(provider(), query: query, remembered: start.remembered).get()

        let token = try XCTUnwrap(seenRequests(path: "/login/oauth/access_token").first)
        XCTAssertEqual((token["headers"] as? [String: String])?["Accept"], "application/json")
        let form = try XCTUnwrap(token["form"] as? [String: String])
        XCTAssertEqual(form["client_secret"], "client-secret", "client_secret_post by default")
        XCTAssertEqual(form["code_verifier"], start.remembered.verifier)
        XCTAssertEqual(form["redirect_uri"], redirectURI)
        for path in ["/user", "/user/emails"] {
            let headers = try XCTUnwrap(seenRequests(path: path).first?["headers"] as? [String: String], path)
            XCTAssertEqual(headers["Accept"], "application/vnd.github+json", path)
            XCTAssertTrue(headers["Authorization"]?.hasPrefix("Bearer gho_") == true, path)
            XCTAssertEqual(headers["User-Agent"], OAuth2Client.userAgent, path)
            XCTAssertEqual(headers["X-GitHub-Api-Version"], "2022-11-28", path)
        }
        XCTAssertEqual(try seenRequests(path: "/user/emails").count, 1, "two emails fit on one page")
        XCTAssertEqual(try seenRequests(path: "/user/orgs").count, 0, "orgs are read only when asked for")
    }

    func testNoPublicEmailAndOnlyUnverifiedEmailsGiveNoEmail() throws {
        try putOctocat(
            publicEmail: NSNull(),
            emails: [
                ["email": "primary@example.com", "verified": false, "primary": true, "visibility": "private"],
                ["email": "secondary@example.com", "verified": false, "primary": false, "visibility": NSNull()],
            ])
        let identity = try signIn(provider(), as: "octocat").get()
        XCTAssertNil(identity.email)
        XCTAssertFalse(identity.emailVerified)
        XCTAssertEqual(identity.subject, "583231")
    }

    func testAVerifiedSecondaryEmailIsNotTheAccountsEmail() throws {
        try putOctocat(
            publicEmail: NSNull(),
            emails: [
                ["email": "primary@example.com", "verified": false, "primary": true, "visibility": "private"],
                ["email": "secondary@example.com", "verified": true, "primary": false, "visibility": NSNull()],
            ])
        let identity = try signIn(provider(), as: "octocat").get()
        XCTAssertNil(identity.email)
        XCTAssertFalse(identity.emailVerified)
    }

    func testPublicEmailWithoutAVerifiedPrimaryStaysUnverified() throws {
        try putOctocat(
            publicEmail: "public@example.com",
            emails: [["email": "primary@example.com", "verified": false, "primary": true, "visibility": "public"]])
        let identity = try signIn(provider(), as: "octocat").get()
        XCTAssertEqual(identity.email, "public@example.com")
        XCTAssertFalse(identity.emailVerified)
    }

    func testPrimaryEmailIsFoundOnALaterPage() throws {
        try putOctocat(
            publicEmail: NSNull(),
            emails: [
                ["email": "a@example.com", "verified": true, "primary": false],
                ["email": "b@example.com", "verified": false, "primary": false],
                ["email": "me@example.com", "verified": true, "primary": true],
            ])
        let identity = try signIn(provider(), as: "octocat").get()
        XCTAssertEqual(identity.email, "me@example.com")
        XCTAssertTrue(identity.emailVerified)
        XCTAssertEqual(try seenRequests(path: "/user/emails").count, 2)
    }

    func testWithoutTheEmailScopeThePublicEmailIsUnverified() throws {
        try putOctocat()
        let identity = try signIn(provider { $0.client.scopes = ["read:user"] }, as: "octocat").get()
        XCTAssertEqual(identity.email, "octocat@github.com")
        XCTAssertFalse(identity.emailVerified, "/user/emails answered 404, so nothing vouches for it")
    }

    func testOrganizationsAreReadWithReadOrgWhenEnabled() throws {
        try putOctocat()
        let provider = provider { $0.readsOrganizations = true }
        XCTAssertEqual(provider.client.scopes, ["read:user", "user:email", "read:org"])
        let identity = try signIn(provider, as: "octocat").get()
        XCTAssertEqual(
            identity.organizations, ["github", "acme-corp", "octo-org"], "private memberships too, lowercased")
        XCTAssertEqual(try seenRequests(path: "/user/orgs").count, 2, "three orgs on two pages")
    }

    func testReadOrgIsAddedToConfiguredScopesOnlyWhenEnabled() throws {
        try putOctocat()
        let configured = provider {
            $0.readsOrganizations = true
            $0.client.scopes = ["read:user", "user:email"]
        }
        XCTAssertEqual(configured.client.scopes, ["read:user", "user:email", "read:org"])
        XCTAssertEqual(try signIn(configured, as: "octocat").get().organizations, ["github", "acme-corp", "octo-org"])
        let narrowed = provider { $0.readsOrganizations = false }
        XCTAssertEqual(narrowed.client.scopes, ["read:user", "user:email"])
        XCTAssertEqual(try signIn(narrowed, as: "octocat").get().organizations, [])
    }

    func testDeniedAuthorizationIsADenial() throws {
        let provider = provider()
        let start = try begin(provider)
        let query = try visit(start.authorizationURL, login: "octocat", decision: "deny")
        XCTAssertEqual(query["error"], "access_denied")
        XCTAssertEqual(query["state"], start.key)
        XCTAssertTrue(provider.isDenial(query))
        XCTAssertEqual(provider.callbackKey(in: query), start.key)
        let result = try finish(provider, query: query, remembered: start.remembered)
        XCTAssertEqual(result.failureDescription, AuthError.providerDenied("access_denied").description)
    }

    func testTokenErrorAnsweredWithHTTP200IsAFailure() throws {
        try putOctocat()
        let result = try signIn(provider(secret: "wrong-secret"), as: "octocat")
        XCTAssertEqual(result.failureDescription, AuthError.providerError("incorrect_client_credentials").description)
        XCTAssertFalse(result.failureDescription?.contains("wrong-secret") ?? true)
    }

    func testACodeIsRedeemedOnlyOnce() throws {
        try putOctocat()
        let provider = provider()
        let start = try begin(provider)
        let query = try visit(start.authorizationURL, login: "octocat")
        XCTAssertNoThrow(try finish(provider, query: query, remembered: start.remembered).get())
        let again = try finish(provider, query: query, remembered: start.remembered)
        XCTAssertEqual(again.failureDescription, AuthError.providerError("bad_verification_code").description)
        XCTAssertFalse(again.failureDescription?.contains(query["code"]!) ?? true, "the code is never in an error")
    }

    func testAWrongVerifierIsRefusedByTheServer() throws {
        try putOctocat()
        let provider = provider()
        let start = try begin(provider)
        let query = try visit(start.authorizationURL, login: "octocat")
        let result = try finish(provider, query: query, remembered: .init(nonce: "", verifier: PKCE().verifier))
        XCTAssertEqual(result.failureDescription, AuthError.providerError("bad_verification_code").description)
    }

    // The block's rules (client_id, api_url) are the config validator's: ProviderRuleTests.
    func testTheCatalogAndTheDefaults() throws {
        let settings = GitHubSettings(
            client: client(tokenAuth: GitHubSettings.defaultTokenAuth, scopes: GitHubSettings.defaultScopes))
        let good = config("github", .github(settings))
        XCTAssertTrue(try ProviderCatalog.make(good, http: http, queue: queue, logger: nil) is GitHubProvider)
        let defaults = GitHubProvider(
            name: "github", displayName: "GitHub", settings: settings, http: http, queue: queue, logger: nil)
        XCTAssertEqual(defaults.client.authorizeURL, "https://github.com/login/oauth/authorize")
        XCTAssertEqual(defaults.client.tokenURL, "https://github.com/login/oauth/access_token")
        XCTAssertEqual(defaults.apiURL, "https://api.github.com")
        XCTAssertTrue(defaults.isReady)
    }
}
