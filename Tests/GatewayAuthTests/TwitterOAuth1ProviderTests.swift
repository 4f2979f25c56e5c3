// TwitterOAuth1Provider against oauth1_provider.py, whose every signature check is oauthlib's
// (RFC 5849 server side): sign-in, denial, wrong secrets, replays, and the response rules.
import Dispatch
import Foundation
import GatewayConfig
import GatewayOutbound
import XCTest

@testable import GatewayAuth

final class TwitterOAuth1ProviderTests: TwitterFixtureTestCase {
    private func makeProvider(
        consumerSecret: String = TwitterFixtureTestCase.consumerSecret,
        _ adjust: (inout TwitterOAuth1Settings) -> Void = { _ in }
    )
        -> TwitterOAuth1Provider
    {
        var settings = TwitterOAuth1Settings(
            consumerKey: Self.consumerKey, consumerSecret: consumerSecret,
            requestTokenURL: "\(base)/oauth/request_token", authorizeURL: "\(base)/oauth/authenticate",
            accessTokenURL: "\(base)/oauth/access_token", apiURL: base + "/")
        adjust(&settings)
        return TwitterOAuth1Provider(
            name: "twitter", displayName: "Twitter", settings: settings, http: http, queue: queue, logger: nil)
    }

    func testSignInThroughOAuthlibYieldsTheVerifiedIdentity() throws {
        try setUser("carol", ["id": "4242", "name": "Carol C.", "email": "carol@example.com"])
        let provider = makeProvider()
        XCTAssertTrue(provider.isReady)
        let start = try begin(provider)
        XCTAssertEqual(start.authorizationURL, "\(base)/oauth/authenticate?oauth_token=\(start.key)")
        XCTAssertEqual(start.key.count, 30, "oauthlib's request token")
        XCTAssertEqual(start.remembered.nonce, "")
        XCTAssertFalse(start.remembered.verifier.isEmpty, "the request-token secret is kept server-side")
        XCTAssertFalse(
            start.authorizationURL.contains(start.remembered.verifier), "the secret never goes to the browser")

        let query = try answerAuthorizeForm(start.authorizationURL, user: "carol")
        XCTAssertEqual(query["from"], "test", "oauth_callback kept its own query")
        XCTAssertEqual(query["oauth_token"], start.key)
        XCTAssertNotNil(query["oauth_verifier"])
        XCTAssertEqual(provider.callbackKey(in: query), start.key)
        XCTAssertFalse(provider.isDenial(query))

        let identity = try XCTUnwrap(finish(provider, query: query, remembered: start.remembered)).get()
        XCTAssertFalse(identity.tokens?.accessToken.isEmpty ?? true, "the sign-in keeps the token")
        XCTAssertEqual(
            identity.keeping(nil),  // its tokens: ProviderTokensTests
            VerifiedIdentity(
                provider: "twitter", subject: "4242", email: "carol@example.com", emailVerified: true, login: "carol",
                name: "Carol C."))

        let log = try requestLog().filter {
            $0.path.hasPrefix("/oauth/") && $0.method == "POST" || $0.path.hasPrefix("/1.1/")
        }
        XCTAssertEqual(
            log.map { "\($0.method) \($0.path) \($0.scheme)" },
            [
                "POST /oauth/request_token OAuth", "POST /oauth/authenticate ", "POST /oauth/access_token OAuth",
                "GET /1.1/account/verify_credentials.json?include_email=true&skip_status=true OAuth",
            ])
    }

    func testUserWithoutEmailHasNoVerifiedEmail() throws {
        try setUser("dave", ["id": "77", "name": "Dave"])
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL, user: "dave")
        let identity = try XCTUnwrap(finish(provider, query: query, remembered: start.remembered)).get()
        XCTAssertEqual(identity.subject, "77")
        XCTAssertNil(identity.email)
        XCTAssertFalse(identity.emailVerified)
        XCTAssertEqual(identity.login, "dave")
    }

    func testCancelAtTheProviderIsADenialKeyedByTheRequestToken() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL, authorize: false)
        XCTAssertEqual(query["denied"], start.key)
        XCTAssertNil(query["oauth_verifier"])
        XCTAssertTrue(provider.isDenial(query))
        XCTAssertEqual(provider.callbackKey(in: query), start.key)
    }

    func testWrongConsumerSecretIsRejectedByOAuthlib() throws {
        let provider = makeProvider(consumerSecret: "not-the-consumer-secret")
        let result = onLoop { done in provider.begin(redirectURI: "http://127.0.0.1:9/cb", completion: done) }
        guard case .failure(let error)? = result else {
            return XCTFail("expected a failure, got \(String(describing: result))")
        }
        XCTAssertEqual(error, .tokenExchangeFailed(status: 401))
        XCTAssertFalse(error.description.contains("not-the-consumer-secret"))
    }

    func testWrongRequestTokenSecretIsRejectedAtTheAccessTokenStep() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL)
        let forged = SignInStart.Remembered(nonce: "", verifier: "not-the-request-token-secret")
        XCTAssertEqual(finish(provider, query: query, remembered: forged), .failure(.tokenExchangeFailed(status: 401)))
    }

    func testReplayedCallbackFailsBecauseTheRequestTokenWasSpent() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        let query = try answerAuthorizeForm(start.authorizationURL)
        XCTAssertNoThrow(try XCTUnwrap(finish(provider, query: query, remembered: start.remembered)).get())
        XCTAssertEqual(
            finish(provider, query: query, remembered: start.remembered), .failure(.tokenExchangeFailed(status: 401)))
    }

    func testForgedVerifierIsRejected() throws {
        let provider = makeProvider()
        let start = try begin(provider)
        var query = try answerAuthorizeForm(start.authorizationURL)
        query["oauth_verifier"] = "forgedverifierforgedverifier00"
        XCTAssertEqual(
            finish(provider, query: query, remembered: start.remembered), .failure(.tokenExchangeFailed(status: 401)))
    }

    func testCallbackWithoutVerifierFailsWithoutCallingOut() {
        let provider = makeProvider()
        XCTAssertEqual(
            finish(provider, query: ["oauth_token": "abc"], remembered: .init(nonce: "", verifier: "s")),
            .failure(.malformedResponse("the callback has no oauth_token and oauth_verifier")))
    }

    func testUnreachableRequestTokenEndpointIsATokenExchangeFailure() throws {
        let provider = makeProvider { $0.requestTokenURL = "http://127.0.0.1:9/oauth/request_token" }
        let result = onLoop { done in provider.begin(redirectURI: "http://127.0.0.1:9/cb", completion: done) }
        XCTAssertEqual(result.flatMap { try? $0.get() }?.key, nil)
        guard case .failure(let error)? = result else { return XCTFail("expected a failure") }
        XCTAssertEqual(error, .tokenExchangeFailed(status: nil))
    }

    // MARK: - Response rules, without the fixture

    func testRequestTokenResponseMustConfirmTheCallback() {
        let stub = TwitterStubHTTP(body: "oauth_token=abc&oauth_token_secret=def")
        let provider = TwitterOAuth1Provider(
            name: "twitter", displayName: "Twitter",
            settings: TwitterOAuth1Settings(consumerKey: "k", consumerSecret: "s"),
            http: stub, queue: queue, logger: nil)
        let result = onLoop { done in provider.begin(redirectURI: "https://gw.example/cb", completion: done) }
        guard case .failure(let error)? = result else { return XCTFail("expected a failure") }
        XCTAssertEqual(error, .malformedResponse("oauth_callback_confirmed is not true"))
        XCTAssertEqual(stub.requests.first?.url, TwitterOAuth1Settings.defaultRequestTokenURL)
        XCTAssertEqual(stub.requests.first?.method, "POST")
    }

    func testVerifyCredentialsParsing() {
        let provider = makeProvider()
        func parse(_ json: String, userID: String? = nil) -> Result<VerifiedIdentity, AuthError> {
            provider.identity(fromVerifyCredentials: Array(json.utf8), userID: userID)
        }
        XCTAssertEqual(
            parse(#"{"id":12,"id_str":"12","screen_name":"a","name":"A","email":null}"#),
            .success(VerifiedIdentity(provider: "twitter", subject: "12", login: "a", name: "A")))
        XCTAssertEqual(try? parse(#"{"id":12,"email":""}"#).get().emailVerified, false, "an empty email is no email")
        XCTAssertEqual(try? parse(#"{"id":12}"#).get().subject, "12", "a bare numeric id still works")
        XCTAssertEqual(parse(#"{"screen_name":"a"}"#), .failure(.userinfoFailed("response has no id_str")))
        XCTAssertEqual(
            parse(#"{"id_str":"12"}"#, userID: "13"),
            .failure(.userinfoFailed("id_str does not match the access token's user_id")))
        XCTAssertEqual(parse("[1]"), .failure(.userinfoFailed("response is not a JSON object")))
    }

    // Missing credentials and bad URLs are the config validator's rules: ProviderRuleTests.
    func testTheCatalogMakesAnOAuth1Provider() {
        let made = try? ProviderCatalog.make(
            config(.twitter(TwitterOAuth1Settings(consumerKey: "k", consumerSecret: "s"))),
            http: TwitterStubHTTP(body: ""), queue: queue, logger: nil)
        XCTAssertTrue(made is TwitterOAuth1Provider)
    }
}

/// Answers every request with one 200 body, on the caller's queue, and records the requests.
final class TwitterStubHTTP: OutboundHTTP, @unchecked Sendable {
    private let body: String
    private(set) var requests: [OutboundRequest] = []
    init(body: String) { self.body = body }

    func send(_ request: OutboundRequest, completion: @escaping (Result<OutboundResponse, OutboundHTTPError>) -> Void) {
        requests.append(request)
        completion(.success(OutboundResponse(status: 200, headers: [], body: Array(body.utf8))))
    }
}
