// The provider's tokens: their sealed payload, their redaction, and the refresh-token grant.
import Foundation
import XCTest

@testable import GatewayAuth
@testable import GatewayOutbound

final class ProviderTokensTests: XCTestCase {
    /// Records the one request and answers it with `body`.
    private final class OneAnswer: OutboundHTTP, @unchecked Sendable {
        var requests: [OutboundRequest] = []
        let status: Int
        let body: String
        init(_ status: Int, _ body: String) { (self.status, self.body) = (status, body) }
        func send(
            _ request: OutboundRequest, completion: @escaping (Result<OutboundResponse, OutboundHTTPError>) -> Void
        ) {
            requests.append(request)
            completion(.success(OutboundResponse(status: status, headers: [], body: Array(body.utf8))))
        }
    }

    private func client(_ http: OutboundHTTP) -> OAuth2Client {
        var client = OAuth2Client(
            providerName: "p", authorizeURL: "https://idp.example/authorize", tokenURL: "https://idp.example/token",
            clientID: "cid", clientSecret: "csecret", scopes: [], clientAuthentication: .clientSecretPost, http: http,
            logger: nil)
        client.now = { 1_000 }
        return client
    }

    private func refresh(_ http: OneAnswer, _ tokens: ProviderTokens) -> Result<ProviderTokens, AuthError>? {
        var out: Result<ProviderTokens, AuthError>?
        client(http).refresh(tokens) { out = $0 }
        return out
    }

    func testPayloadRoundTripsAndNeverPrints() {
        let tokens = ProviderTokens(accessToken: "at-1", tokenSecret: "s\"ec", refreshToken: "rt-1", expiresAt: 42)
        XCTAssertEqual(ProviderTokens(json: tokens.encodedJSON()), tokens)
        let bare = ProviderTokens(accessToken: "at-2")
        XCTAssertEqual(String(decoding: bare.encodedJSON(), as: UTF8.self), #"{"a":"at-2"}"#)
        XCTAssertEqual(ProviderTokens(json: bare.encodedJSON()), bare)
        XCTAssertNil(ProviderTokens(json: Array(#"{"r":"x"}"#.utf8)), "an access token is required")
        XCTAssertNil(ProviderTokens(json: Array("not json".utf8)))
        for shown in [
            "\(tokens)", String(reflecting: tokens),
            {
                var s = ""; dump(tokens, to: &s); return s
            }(),
        ] {
            for secret in ["at-1", "s\"ec", "rt-1"] { XCTAssertFalse(shown.contains(secret), shown) }
        }
    }

    func testSignInTokensKeepTheRefreshTokenAndExpiry() throws {
        let http = OneAnswer(200, "")
        let token = try client(http).accessToken(
            from: .success(
                OutboundResponse(
                    status: 200, headers: [],
                    body: Array(
                        #"{"access_token":"a","refresh_token":"r","expires_in":"3600","token_type":"Bearer"}"#.utf8)))
        ).get()
        XCTAssertEqual(token.providerTokens, ProviderTokens(accessToken: "a", refreshToken: "r", expiresAt: 4_600))
    }

    func testRefreshSendsTheGrantAndRotates() throws {
        let http = OneAnswer(
            200, #"{"access_token":"at-2","refresh_token":"rt-2","expires_in":60,"token_type":"Bearer"}"#)
        let renewed = try XCTUnwrap(refresh(http, ProviderTokens(accessToken: "at-1", refreshToken: "rt-1"))).get()
        XCTAssertEqual(renewed, ProviderTokens(accessToken: "at-2", refreshToken: "rt-2", expiresAt: 1_060))
        let request = try XCTUnwrap(http.requests.first)
        XCTAssertEqual(request.url, "https://idp.example/token")
        XCTAssertEqual(
            String(decoding: request.body ?? [], as: UTF8.self),
            "grant_type=refresh_token&refresh_token=rt-1&client_id=cid&client_secret=csecret")
    }

    func testRefreshWithoutANewRefreshTokenKeepsTheOld() throws {
        let http = OneAnswer(200, #"{"access_token":"at-2"}"#)
        let renewed = try XCTUnwrap(refresh(http, ProviderTokens(accessToken: "at-1", refreshToken: "rt-1"))).get()
        XCTAssertEqual(renewed, ProviderTokens(accessToken: "at-2", refreshToken: "rt-1", expiresAt: nil))
    }

    func testInvalidGrantIsARefusalAndOtherFailuresAreNot() throws {
        let refused = refresh(
            OneAnswer(400, #"{"error":"invalid_grant"}"#), ProviderTokens(accessToken: "a", refreshToken: "r"))
        XCTAssertEqual(refused?.failure?.refusesGrant, true)
        let down = refresh(OneAnswer(503, "busy"), ProviderTokens(accessToken: "a", refreshToken: "r"))
        XCTAssertEqual(down?.failure?.refusesGrant, false)
        let other = refresh(
            OneAnswer(400, #"{"error":"invalid_client"}"#), ProviderTokens(accessToken: "a", refreshToken: "r"))
        XCTAssertEqual(other?.failure?.refusesGrant, false)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
