// OAuth2Client without a server: the authorization URL, token-response rules, and API helpers.
import Foundation
import GatewayCrypto
import XCTest

@testable import GatewayAuth
@testable import GatewayOutbound

final class OAuth2ClientTests: XCTestCase {
    private final class NoHTTP: OutboundHTTP {
        func send(
            _ request: OutboundRequest, completion: @escaping (Result<OutboundResponse, OutboundHTTPError>) -> Void
        ) {
            XCTFail("no request expected")
        }
    }

    private let client = OAuth2Client(
        providerName: "p", authorizeURL: "https://idp.example/authorize?tenant=a",
        tokenURL: "https://idp.example/token",
        clientID: "id with space", clientSecret: "s", scopes: ["read:user", "user:email"],
        clientAuthentication: .clientSecretPost, http: NoHTTP(), logger: nil)

    func testAuthorizationURLCarriesStatePKCEAndScopes() throws {
        let start = client.begin(redirectURI: "https://gw.example/auth/p/callback")
        XCTAssertTrue(start.authorizationURL.hasPrefix("https://idp.example/authorize?tenant=a&response_type=code&"))
        let items = try XCTUnwrap(URLComponents(string: start.authorizationURL)?.queryItems)
        var query: [String: String] = [:]
        for item in items { query[item.name] = item.value }
        XCTAssertEqual(query["client_id"], "id with space")
        XCTAssertEqual(query["redirect_uri"], "https://gw.example/auth/p/callback")
        XCTAssertEqual(query["scope"], "read:user user:email")
        XCTAssertEqual(query["state"], start.key)
        XCTAssertEqual(query["code_challenge"], PKCE.challenge(for: start.remembered.verifier))
        XCTAssertEqual(query["code_challenge_method"], "S256")
        XCTAssertNotNil(PKCE(verifier: start.remembered.verifier))
        XCTAssertTrue(Base64URL.isAlphabet(start.key, count: 43), "32 random bytes")
        XCTAssertNotEqual(client.begin(redirectURI: "x").key, start.key)
        XCTAssertFalse(start.authorizationURL.contains(start.remembered.verifier), "the verifier stays with us")
    }

    private func token(_ status: Int, _ body: String) -> Result<OAuth2AccessToken, AuthError> {
        client.accessToken(from: .success(OutboundResponse(status: status, headers: [], body: Array(body.utf8))))
    }

    func testTokenResponses() throws {
        let ok = try token(200, #"{"access_token":"gho_x","scope":"read:user,user:email","token_type":"bearer"}"#).get()
        XCTAssertEqual(ok.value, "gho_x")
        XCTAssertEqual(ok.grantedScopes, ["read:user", "user:email"])
        XCTAssertFalse(ok.description.contains("gho_x"), "a token never shows in a description")
        XCTAssertNil(try token(200, #"{"access_token":"t"}"#).get().grantedScopes, "token_type may be left out")
        XCTAssertEqual(
            try token(200, #"{"access_token":"t","token_type":"Bearer","scope":"a b"}"#).get().grantedScopes,
            ["a", "b"])
    }

    func testTokenErrors() {
        let cases: [(Int, String, AuthError)] = [
            (
                200, #"{"error":"bad_verification_code","error_description":"x"}"#,
                .providerError("bad_verification_code")
            ),
            (400, #"{"error":{"message":"m","type":"OAuthException","code":100}}"#, .providerError("OAuthException")),
            (400, #"{"error":"invalid_grant"}"#, .providerError("invalid_grant")),
            (500, "<html>oops</html>", .tokenExchangeFailed(status: 500)),
            (200, "access_token=t&token_type=bearer", .malformedResponse("token response is not JSON")),
            (200, #"{"token_type":"bearer"}"#, .malformedResponse("token response has no access_token")),
            (200, #"{"access_token":"t","token_type":"mac"}"#, .malformedResponse("token type is not Bearer")),
        ]
        for (status, body, expected) in cases {
            XCTAssertEqual(token(status, body).failureDescription, expected.description, body)
        }
        let unreachable = client.accessToken(
            from: .failure(OutboundHTTPError(.connectFailed, host: "idp.example", detail: "refused")))
        XCTAssertEqual(unreachable.failureDescription, AuthError.tokenExchangeFailed(status: nil).description)
    }

    func testCallbackErrorsNeverReachTheTokenEndpoint() {
        var results: [Result<OAuth2AccessToken, AuthError>] = []
        let remembered = SignInStart.Remembered(nonce: "", verifier: PKCE().verifier)
        client.redeem(query: ["error": "access_denied", "state": "s"], remembered: remembered, redirectURI: "r") {
            results.append($0)
        }
        client.redeem(query: ["state": "s", "code": ""], remembered: remembered, redirectURI: "r") {
            results.append($0)
        }
        XCTAssertEqual(
            results.map(\.failureDescription),
            [
                AuthError.providerDenied("access_denied").description,
                AuthError.malformedResponse("the callback has no code").description,
            ])
    }

    func testScopeListLinksAndJoins() {
        XCTAssertEqual(OAuth2Client.scopeList("read:user, user:email  read:user"), ["read:user", "user:email"])
        XCTAssertEqual(OAuth2Client.scopeList(""), [])
        XCTAssertEqual(OAuth2Client.join("https://api.github.com//", "/user"), "https://api.github.com/user")
        let link =
            #"<https://api.github.com/user/orgs?page=2>; rel="next", <https://api.github.com/user/orgs?page=5>; rel="last""#
        XCTAssertEqual(OAuth2Client.nextLink(link), "https://api.github.com/user/orgs?page=2")
        XCTAssertNil(OAuth2Client.nextLink(#"<https://api.github.com/user/orgs?page=1>; rel="prev""#))
        XCTAssertNil(OAuth2Client.nextLink(nil))
    }

    func testClaimMappingTurnsIntegralNumbersIntoStrings() {
        XCTAssertEqual(OAuth2ClaimMapping.string(.number(583231)), "583231")
        XCTAssertNil(OAuth2ClaimMapping.string(.number(1.5)))
        XCTAssertNil(OAuth2ClaimMapping.string(.string("")))
        XCTAssertEqual(OAuth2ClaimMapping.sibling(of: "data.email", named: "email_verified"), "data.email_verified")
        XCTAssertEqual(OAuth2ClaimMapping.sibling(of: "email", named: "email_verified"), "email_verified")
    }
}
