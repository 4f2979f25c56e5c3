// TwitterOAuth2Provider against the OAuth 2.0 emulator in oauth1_provider.py: PKCE S256, HTTP Basic
// client authentication, state, denial, and `/2/users/me`.
import Dispatch
import Foundation
import GatewayConfig
import XCTest

@testable import GatewayAuth

final class TwitterOAuth2ProviderTests: TwitterFixtureTestCase {
    private func makeProvider(
        clientSecret: String = TwitterFixtureTestCase.clientSecret
    )
        -> TwitterOAuth2Provider
    {
        let settings = TwitterOAuth2Settings(
            clientID: Self.clientID, clientSecret: clientSecret, authorizeURL: "\(base)/i/oauth2/authorize",
            tokenURL: "\(base)/2/oauth2/token", apiURL: base)
        return TwitterOAuth2Provider(
            name: "twitter", displayName: "Twitter", settings: settings, http: http, queue: queue, logger: nil)
    }

    private func queryItems(_ url: String) -> [String: String] {
        Dictionary(OAuth1Signature.formDecode(url.split(separator: "?", maxSplits: 1).last ?? "")) { first, _ in first }
    }

    func testSignInWithPKCEYieldsTheUserWithoutEmail() throws {
        try setUser("erin", ["id": "2244994945", "name": "Erin E."])
        let provider = makeProvider()
        XCTAssertTrue(provider.isReady)
        let start = try begin(provider)
        XCTAssertTrue(start.authorizationURL.hasPrefix("\(base)/i/oauth2/authorize?"), start.authorizationURL)
        let sent = queryItems(start.authorizationURL)
        XCTAssertEqual(sent["response_type"], "code")
        XCTAssertEqual(sent["client_id"], Self.clientID)
        XCTAssertEqual(sent["redirect_uri"], redirectURI)
        XCTAssertEqual(sent["scope"], "users.read tweet.read")
        XCTAssertEqual(sent["state"], start.key)
        XCTAssertEqual(sent["code_challenge_method"], "S256")
        XCTAssertEqual(sent["code_challenge"], PKCE.challenge(for: start.remembered.verifier))
        XCTAssertNotNil(PKCE(verifier: start.remembered.verifier))
        XCTAssertFalse(start.authorizationURL.contains(start.remembered.verifier))

        let query = try answerAuthorizeForm(start.authorizationURL, user: "erin")
        XCTAssertEqual(query["state"], start.key)
        XCTAssertEqual(provider.callbackKey(in: query), start.key)
        XCTAssertFalse(provider.isDenial(query))
        let identity = try XCTUnwrap(finish(provider, query: query, remembered: start.remembered)).get()
        XCTAssertFalse(identity.tokens?.accessToken.isEmpty ?? true, "the sign-in keeps the token")
        XCTAssertEqual(
            identity.keeping(nil),  // its tokens: ProviderTokensTests
            VerifiedIdentity(
                provider: "twitter", subject: "2244994945", email: nil, emailVerified: false, login: "erin",
                name: "Erin E."))
    }

    func testEachBeginHasFreshStateAndVerifier() throws {
        let provider = makeProvider()
        let a = try begin(provider)
        let b = try begin(provider)
        XCTAssertNotEqual(a.key, b.key)
        XCTAssertNotEqual(a.remembered.verifier, b.remembered.verifier)
    }

    func testDenialComesBackAsAccessDenied() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL, authorize: false)
        XCTAssertEqual(query["error"], "access_denied")
        XCTAssertTrue(provider.isDenial(query))
        XCTAssertEqual(provider.callbackKey(in: query), start.key)
    }

    func testWrongCodeVerifierIsRefusedByTheTokenEndpoint() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL)
        let other = SignInStart.Remembered(nonce: "", verifier: PKCE().verifier)
        XCTAssertEqual(finish(provider, query: query, remembered: other), .failure(.providerError("invalid_request")))
    }

    func testWrongClientSecretFailsBasicAuthentication() throws {
        let provider = makeProvider(clientSecret: "not-the-client-secret")
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL)
        let result = try XCTUnwrap(finish(provider, query: query, remembered: start.remembered))
        XCTAssertEqual(result, .failure(.providerError("unauthorized_client")))
        if case .failure(let error) = result { XCTAssertFalse(error.description.contains("not-the-client-secret")) }
    }

    func testCodeIsSingleUse() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL)
        XCTAssertNoThrow(try XCTUnwrap(finish(provider, query: query, remembered: start.remembered)).get())
        XCTAssertEqual(
            finish(provider, query: query, remembered: start.remembered), .failure(.providerError("invalid_request")))
    }

    // Reading `scopes users.read,tweet.read offline.access`, the missing credentials and a bad
    // token_url are the config validator's rules: ProviderRuleTests.
    func testConfiguredScopesAndDefaults() {
        let settings = TwitterOAuth2Settings(
            clientID: "i", clientSecret: "s", scopes: ["users.read", "tweet.read", "offline.access"])
        let provider = TwitterOAuth2Provider(
            name: "twitter", displayName: "Twitter", settings: settings, http: TwitterStubHTTP(body: ""), queue: queue,
            logger: nil)
        XCTAssertEqual(provider.scopes, "users.read tweet.read offline.access")
        XCTAssertEqual(provider.authorizeURL, "https://twitter.com/i/oauth2/authorize")
        XCTAssertEqual(provider.tokenURL, "https://api.twitter.com/2/oauth2/token")
        XCTAssertEqual(provider.apiURL, "https://api.twitter.com")
        let made = try? ProviderCatalog.make(
            config(.twitterOAuth2(TwitterOAuth2Settings(clientID: "i", clientSecret: "s"))),
            http: TwitterStubHTTP(body: ""), queue: queue, logger: nil)
        XCTAssertTrue(made is TwitterOAuth2Provider)
    }

    func testUsersMeParsing() {
        let provider = makeProvider()
        func parse(_ json: String) -> Result<VerifiedIdentity, AuthError> {
            provider.identity(fromUsersMe: Array(json.utf8))
        }
        XCTAssertEqual(
            parse(#"{"data":{"id":"1","name":"N","username":"u"}}"#),
            .success(VerifiedIdentity(provider: "twitter", subject: "1", login: "u", name: "N")))
        XCTAssertEqual(parse(#"{"errors":[{"title":"x"}]}"#), .failure(.userinfoFailed("response has no data object")))
        XCTAssertEqual(parse(#"{"data":{"id":1}}"#), .failure(.userinfoFailed("response has no id")))
    }
}
