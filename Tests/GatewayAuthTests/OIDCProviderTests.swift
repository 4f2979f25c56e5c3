// OIDCProvider end to end against an in-memory identity provider: the authorization URL, code
// redemption with PKCE and client authentication, ID-token checks, and the userinfo fallback.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class OIDCProviderTests: OIDCTestCase {
    func testAuthorizationURLCarriesEveryParameterPercentEncoded() throws {
        let provider = makeProvider { $0.client.scopes = ["email", "groups"] }
        XCTAssertNil(queue.sync { provider.authorizationURL(for: .generate(), redirectURI: redirectURI) })
        startAndWaitUntilReady(provider)
        let request = AuthorizationRequest(state: "st+/=", nonce: "nonce value", codeVerifier: PKCE().verifier)
        let url = try XCTUnwrap(queue.sync { provider.authorizationURL(for: request, redirectURI: redirectURI) })
        XCTAssertTrue(url.hasPrefix(idp.issuer + "/authorize?tenant=t1&response_type=code&"), url)
        XCTAssertTrue(url.contains("redirect_uri=https%3A%2F%2Fgateway.example.com%2Fauth%2Fcorp%2Fcallback"), url)
        XCTAssertTrue(url.contains("client_id=gateway%20client"), url)
        XCTAssertTrue(url.contains("state=st%2B%2F%3D&nonce=nonce%20value"), url)
        XCTAssertTrue(url.contains("scope=openid%20email%20groups"), url)
        XCTAssertTrue(
            url.contains("code_challenge=\(PKCE.challenge(for: request.codeVerifier))&code_challenge_method=S256"))
    }

    func testRedeemReturnsTheVerifiedIdentity() throws {
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        idp.idTokenOverrides = ["hd": "example.com"]
        var identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertFalse(identity.tokens?.accessToken.isEmpty ?? true, "the sign-in keeps the token")
        // The validated ID token comes along (for RP-Initiated Logout's id_token_hint).
        XCTAssertEqual(try XCTUnwrap(identity.idToken).split(separator: ".").count, 3)
        identity.idToken = nil
        XCTAssertEqual(
            identity.keeping(nil),  // its tokens: ProviderTokensTests
            VerifiedIdentity(
                provider: "corp", subject: "248289761001", email: "janedoe@example.com", emailVerified: true,
                login: "jane", name: "Jane Doe", hostedDomain: "example.com"))
        XCTAssertEqual(count("/userinfo"), 0, "the ID token had email and name")
        XCTAssertEqual(count("/jwks"), 1)
    }

    func testClientSecretPostSendsCredentialsInTheBody() throws {
        idp.expectedClientAuth = "client_secret_post"
        let provider = makeProvider { $0.client.tokenAuth = .clientSecretPost }
        startAndWaitUntilReady(provider)
        XCTAssertEqual(try XCTUnwrap(signIn(provider)).get().subject, "248289761001")
        // And the IdP really checks: basic credentials against a post-only client fail.
        let basic = makeProvider()
        startAndWaitUntilReady(basic)
        XCTAssertEqual(signIn(basic), .failure(.providerError("invalid_client")))
    }

    func testWrongVerifierOrRedirectIsRefusedByTheTokenEndpoint() {
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        let result = signIn(provider) { $0.codeVerifier = PKCE().verifier }
        XCTAssertEqual(result, .failure(.providerError("invalid_grant")))
        XCTAssertEqual(result?.failureDescription, "token endpoint returned error \"invalid_grant\"")
    }

    func testUserinfoFillsInWhenTheIDTokenHasNoEmail() throws {
        idp.idTokenOverrides = ["email": nil, "email_verified": nil, "name": nil]
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.email, "info@example.com")
        XCTAssertTrue(identity.emailVerified)
        XCTAssertEqual(identity.name, "Info Name")
        XCTAssertEqual(identity.login, "jane")
        XCTAssertEqual(count("/userinfo"), 1)
    }

    func testUnverifiedEmailStaysUnverified() throws {
        idp.idTokenOverrides = ["email": nil, "email_verified": nil]
        idp.userinfo = ["email": "info@example.com", "email_verified": "false"]
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.email, "info@example.com")
        XCTAssertFalse(identity.emailVerified)
        XCTAssertEqual(identity.name, "Jane Doe", "the ID token's name wins")
    }

    func testUserinfoAboutAnotherSubjectIsRefused() {
        idp.idTokenOverrides = ["email": nil]
        idp.userinfoSubject = "someone-else"
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        XCTAssertEqual(signIn(provider), .failure(.userinfoFailed("sub does not match the ID token")))
    }

    func testIDTokenProblemsAreReportedWithTheirRule() {
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        idp.idTokenOverrides = ["nonce": "replayed"]
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.nonceMismatch)))
        idp.idTokenOverrides = ["aud": "another-client"]
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.audienceMismatch)))
        idp.idTokenOverrides = ["iss": "https://idp.example.test/other"]
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
        idp.idTokenOverrides = ["exp": .number(Date().timeIntervalSince1970 - 120)]
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.expired)))
    }

    func testRedeemBeforeDiscoveryIsNotReady() {
        let provider = makeProvider()
        XCTAssertEqual(redeemWithoutAuthorizing(provider), .failure(.notReady))
        XCTAssertEqual(count("/token"), 0)
    }

    func testErrorDescriptionsNeverContainSecrets() {
        let errors: [AuthError] = [
            .notReady, .stateMismatch, .providerDenied("access_denied"), .tokenExchangeFailed(status: 500),
            .tokenExchangeFailed(status: nil), .providerError("invalid_grant \(idp.clientSecret)"),
            .malformedResponse("token response has no id_token"), .keysUnavailable, .invalidIDToken(.expired),
            .userinfoFailed("HTTP 401"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.contains(idp.clientSecret), error.description)
            XCTAssertFalse(error.description.contains(idp.accessToken), error.description)
        }
    }
    // The block's rules (issuer, client_id, token_auth, client_secret) are the config
    // validator's: ProviderRuleTests.
}
