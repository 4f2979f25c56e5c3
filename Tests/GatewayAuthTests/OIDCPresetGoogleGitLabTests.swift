// The google and gitlab presets against the in-memory IdP: issuers, scopes, claims, catalog.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class OIDCPresetGoogleGitLabTests: OIDCTestCase {
    // MARK: google

    func testGoogleUsesGooglesIssuerScopesAndName() throws {
        idp = FakeIdentityProvider(queue: queue, issuer: OIDCSettings.googleIssuer)
        let provider = makePresetProvider(.google)
        XCTAssertEqual(provider.issuer, "https://accounts.google.com")
        XCTAssertEqual(
            provider.discovery.configurationURL, "https://accounts.google.com/.well-known/openid-configuration")
        XCTAssertEqual(provider.displayName, "Google")
        XCTAssertEqual(provider.scopes, "openid email profile")
        XCTAssertEqual(provider.preset, .google)
        startAndWaitUntilReady(provider)
        let url = try XCTUnwrap(queue.sync { provider.authorizationURL(for: .generate(), redirectURI: redirectURI) })
        XCTAssertTrue(url.contains("scope=openid%20email%20profile"), url)
    }

    func testGoogleRecordsTheHostedDomainAndTheVerifiedEmail() throws {
        idp = FakeIdentityProvider(queue: queue, issuer: OIDCSettings.googleIssuer)
        idp.idTokenOverrides = ["hd": "example.com", "email": "jane@example.com", "email_verified": true]
        let provider = makePresetProvider(.google)
        startAndWaitUntilReady(provider)
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.provider, "google")
        XCTAssertEqual(identity.hostedDomain, "example.com")
        XCTAssertEqual(identity.email, "jane@example.com")
        XCTAssertTrue(identity.emailVerified)
        XCTAssertEqual(identity.login, "jane")
    }

    func testGoogleRespectsEmailVerifiedFalse() throws {
        idp = FakeIdentityProvider(queue: queue, issuer: OIDCSettings.googleIssuer)
        idp.idTokenOverrides = ["email": "jane@gmail.com", "email_verified": false, "hd": nil]
        let provider = makePresetProvider(.google)
        startAndWaitUntilReady(provider)
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.email, "jane@gmail.com")
        XCTAssertFalse(identity.emailVerified, "an unverified Google email must never link accounts")
        XCTAssertNil(identity.hostedDomain)
    }

    func testGoogleAcceptsItsSchemelessIssuerSpellingButNoOther() throws {
        idp = FakeIdentityProvider(queue: queue, issuer: OIDCSettings.googleIssuer)
        idp.idTokenOverrides = ["iss": "accounts.google.com"]
        let provider = makePresetProvider(.google)
        startAndWaitUntilReady(provider)
        XCTAssertEqual(try XCTUnwrap(signIn(provider)).get().subject, "248289761001")
        idp.idTokenOverrides = ["iss": "https://accounts.google.com.evil.test"]
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
    }

    func testGoogleIssuerCanBeOverriddenForTestsOnlyExplicitly() throws {
        let provider = makePresetProvider(.google, issuer: idp.issuer)
        XCTAssertEqual(provider.issuer, idp.issuer)
        startAndWaitUntilReady(provider)
        idp.idTokenOverrides = ["hd": "corp.example"]
        XCTAssertEqual(try XCTUnwrap(signIn(provider)).get().hostedDomain, "corp.example")
        // The schemeless alias belongs to Google's real issuer only.
        idp.idTokenOverrides = ["iss": "idp.example.test/tenant"]
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
    }

    // MARK: gitlab

    func testGitLabDefaultsToGitLabDotCom() {
        let provider = makePresetProvider(.gitlab)
        XCTAssertEqual(provider.issuer, "https://gitlab.com")
        XCTAssertEqual(provider.displayName, "GitLab")
        XCTAssertEqual(provider.scopes, "openid email profile")
    }

    func testSelfHostedGitLabWithAnOverriddenIssuerSignsIn() throws {
        idp = FakeIdentityProvider(queue: queue, issuer: "https://gitlab.corp.example")
        idp.idTokenOverrides = ["nickname": "jdoe", "preferred_username": "jane", "email_verified": true]
        let provider = makePresetProvider(.gitlab, issuer: "https://gitlab.corp.example")
        XCTAssertEqual(
            provider.discovery.configurationURL, "https://gitlab.corp.example/.well-known/openid-configuration")
        startAndWaitUntilReady(provider)
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.provider, "gitlab")
        XCTAssertEqual(identity.login, "jdoe", "nickname first")
        XCTAssertEqual(identity.email, "janedoe@example.com")
        XCTAssertTrue(identity.emailVerified)
    }

    func testGitLabLoginFallsBackToPreferredUsername() throws {
        idp = FakeIdentityProvider(queue: queue, issuer: "https://gitlab.corp.example")
        idp.idTokenOverrides = ["nickname": nil, "preferred_username": "jane", "email_verified": false]
        let provider = makePresetProvider(.gitlab, issuer: "https://gitlab.corp.example")
        startAndWaitUntilReady(provider)
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.login, "jane")
        XCTAssertFalse(identity.emailVerified)
    }

    func testSelfHostedGitLabRefusesTokensFromGitLabDotCom() {
        idp = FakeIdentityProvider(queue: queue, issuer: "https://gitlab.corp.example")
        idp.idTokenOverrides = ["iss": "https://gitlab.com"]
        let provider = makePresetProvider(.gitlab, issuer: "https://gitlab.corp.example")
        startAndWaitUntilReady(provider)
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
    }

    // MARK: catalog and the validated block

    /// The blocks as the config validator hands them over.
    private func blocks(_ text: String) throws -> [ProviderConfig] {
        try ConfigLoader.load(text: text, file: "gateway.conf").providers
    }

    func testCatalogMakesEachPresetAsAnOIDCProvider() throws {
        let http = FakeIdentityProvider(queue: queue)
        for (type, name) in [(ProviderType.google, "Google"), (.gitlab, "GitLab"), (.microsoft, "Microsoft")] {
            let block = try XCTUnwrap(blocks("provider \(type) { client_id id; client_secret secret; }\n").first)
            let made = try ProviderCatalog.make(block, http: http, queue: queue, logger: nil)
            let provider = try XCTUnwrap(made as? OIDCProvider, "\(type)")
            XCTAssertEqual(provider.displayName, name)
            XCTAssertEqual(provider.name, type.rawValue)
            XCTAssertEqual(provider.preset, OIDCPreset(type))
        }
    }

    func testAWrittenDisplayNameWins() throws {
        let block = try XCTUnwrap(
            blocks("provider google { client_id id; client_secret secret; display_name Workspace; }\n").first)
        XCTAssertEqual(block.displayName, "Workspace")
        guard case .google(let settings) = block.settings else { return XCTFail("\(block.settings)") }
        XCTAssertEqual(settings.issuer, "https://accounts.google.com")
    }

    // Which keys a preset needs (never the issuer) is the config validator's rule: ProviderRuleTests.
}
