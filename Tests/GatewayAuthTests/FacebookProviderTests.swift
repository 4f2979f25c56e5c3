// FacebookProvider against the API emulator: Graph API shapes, the email permission, and errors.
import Foundation
import GatewayConfig
import XCTest

@testable import GatewayAuth

final class FacebookProviderTests: PresetTestCase {
    private func provider(secret: String = "client-secret") -> FacebookProvider {
        let settings = FacebookSettings(
            client: client(
                secret: secret, tokenAuth: FacebookSettings.defaultTokenAuth, scopes: FacebookSettings.defaultScopes),
            authorizeURL: "\(emulator.base)/v19.0/dialog/oauth",
            tokenURL: "\(emulator.base)/v19.0/oauth/access_token", apiURL: "\(emulator.base)/v19.0")
        return FacebookProvider(
            name: "facebook", displayName: "facebook", settings: settings, http: http, queue: queue, logger: nil)
    }

    private func putJane(email: String? = "jane@example.com") throws {
        var me: [String: Any] = ["id": "10158456789012345", "name": "Jane Doe"]
        me["email"] = email
        try putUser("jane", ["facebook": me])
    }

    func testAReturnedEmailCountsAsVerified() throws {
        try putJane()
        let identity = try signIn(provider(), as: "jane").get()
        XCTAssertFalse(identity.tokens?.accessToken.isEmpty ?? true, "the sign-in keeps the token")
        XCTAssertEqual(
            identity.keeping(nil),  // its tokens: ProviderTokensTests
            VerifiedIdentity(
                provider: "facebook", subject: "10158456789012345", email: "jane@example.com", emailVerified: true,
                name: "Jane Doe"))
    }

    func testSendsTheDocumentedRequests() throws {
        try putJane()
        let provider = provider()
        let start = try begin(provider)
        let items = try XCTUnwrap(URLComponents(string: start.authorizationURL)?.queryItems)
        XCTAssertEqual(items.first { $0.name == "scope" }?.value, "email public_profile")
        XCTAssertEqual(items.first { $0.name == "response_type" }?.value, "code")
        let query = try visit(start.authorizationURL, login: "jane")
        _ = try finish(provider, query: query, remembered: start.remembered).get()
        let me = try XCTUnwrap(seenRequests(path: "/me").first)
        let meQuery = try XCTUnwrap(me["query"] as? [String: String])
        XCTAssertEqual(meQuery["fields"], "id,name,email")
        XCTAssertEqual(meQuery["appsecret_proof"]?.count, 64, "checked by the emulator against the token")
        XCTAssertNil(meQuery["access_token"], "the token goes in the Authorization header, not the URL")
        let form = try XCTUnwrap(seenRequests(path: "/oauth/access_token").first?["form"] as? [String: String])
        XCTAssertEqual(form["client_id"], "client-id")
        XCTAssertEqual(form["client_secret"], "client-secret")
    }

    func testDeclinedEmailPermissionGivesNoEmail() throws {
        try putJane()
        let identity = try signIn(provider(), as: "jane", extra: [("decline", "email")]).get()
        XCTAssertNil(identity.email)
        XCTAssertFalse(identity.emailVerified)
        XCTAssertEqual(identity.name, "Jane Doe")
    }

    func testAnAccountWithoutAConfirmedEmailGivesNoEmail() throws {
        try putJane(email: nil)  // registered with a phone number
        let identity = try signIn(provider(), as: "jane").get()
        XCTAssertNil(identity.email)
        XCTAssertFalse(identity.emailVerified)
    }

    func testDeniedAuthorizationIsADenial() throws {
        let provider = provider()
        let start = try begin(provider)
        let query = try visit(start.authorizationURL, login: "jane", decision: "deny")
        XCTAssertEqual(query["error_reason"], "user_denied")
        XCTAssertTrue(provider.isDenial(query))
        XCTAssertEqual(provider.callbackKey(in: query), start.key)
        let result = try finish(provider, query: query, remembered: start.remembered)
        XCTAssertEqual(result.failureDescription, AuthError.providerDenied("access_denied").description)
    }

    func testTokenErrorObjectIsAFailure() throws {
        try putJane()
        let result = try signIn(provider(secret: "wrong-secret"), as: "jane")
        XCTAssertEqual(result.failureDescription, AuthError.providerError("OAuthException").description)
    }

    func testAppSecretProofIsHexHMACSHA256OfTheToken() {
        // Python: hmac.new(b"app-secret", b"EAAB-token", hashlib.sha256).hexdigest()
        XCTAssertEqual(
            FacebookProvider.appSecretProof(token: "EAAB-token", secret: "app-secret"),
            "294c307ff2427ed2140908ec13f483ef7f7d7819a8fc32fb535cf6ada2327ab2")
    }

    func testDefaultsAndTheCatalog() throws {
        let config = config(
            "facebook",
            .facebook(
                FacebookSettings(
                    client: client(tokenAuth: FacebookSettings.defaultTokenAuth, scopes: FacebookSettings.defaultScopes)
                )))
        let provider = try XCTUnwrap(
            try ProviderCatalog.make(config, http: http, queue: queue, logger: nil) as? FacebookProvider)
        XCTAssertEqual(provider.client.authorizeURL, "https://www.facebook.com/v19.0/dialog/oauth")
        XCTAssertEqual(provider.client.tokenURL, "https://graph.facebook.com/v19.0/oauth/access_token")
        XCTAssertEqual(provider.apiURL, "https://graph.facebook.com/v19.0")
        XCTAssertEqual(provider.client.scopes, ["email", "public_profile"])
        // A missing client_secret is the config validator's rule now: ProviderRuleTests.
    }
}
