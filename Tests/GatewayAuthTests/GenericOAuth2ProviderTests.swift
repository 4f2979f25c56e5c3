// GenericOAuth2Provider against the API emulator's RFC 6749 server: claim mapping, client auth, errors.
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class GenericOAuth2ProviderTests: PresetTestCase {
    private func provider(secret: String = "client-secret", _ adjust: (inout GenericOAuth2Settings) -> Void = { _ in })
        -> GenericOAuth2Provider
    {
        var settings = GenericOAuth2Settings(
            client: client(
                secret: secret, tokenAuth: GenericOAuth2Settings.defaultTokenAuth,
                scopes: GenericOAuth2Settings.defaultScopes),
            authorizeURL: "\(emulator.base)/oauth2/authorize", tokenURL: "\(emulator.base)/oauth2/token",
            userinfoURL: "\(emulator.base)/userinfo")
        adjust(&settings)
        return GenericOAuth2Provider(
            name: "corp", displayName: "corp", settings: settings, http: http, queue: queue, logger: nil)
    }

    func testClaimMappingReadsConfiguredMembers() throws {
        try putUser(
            "amy",
            ["userinfo": ["user_id": 4242, "mail": "amy@example.com", "email_verified": "true", "display": "Amy Pond"]])
        let provider = provider {
            $0.claims = ClaimNames(id: "user_id", email: "mail", name: "display")
            $0.client.scopes = ["profile"]
        }
        let identity = try signIn(provider, as: "amy").get()
        XCTAssertFalse(identity.tokens?.accessToken.isEmpty ?? true, "the sign-in keeps the token")
        XCTAssertEqual(
            identity.keeping(nil),  // its tokens: ProviderTokensTests
            VerifiedIdentity(
                provider: "corp", subject: "4242", email: "amy@example.com", emailVerified: true, name: "Amy Pond"))
    }

    func testDefaultsReadIdThenSubAndAnUnflaggedEmailIsUnverified() throws {
        try putUser(
            "sub-only", ["userinfo": ["sub": "abc-123", "email": "s@example.com", "name": "S", "login": "ess"]])
        let identity = try signIn(provider(), as: "sub-only").get()
        XCTAssertEqual(identity.subject, "abc-123")
        XCTAssertEqual(identity.email, "s@example.com")
        XCTAssertFalse(identity.emailVerified, "no email_verified: nothing vouches for the address")
        XCTAssertEqual(identity.login, "ess")

        try putUser(
            "both", ["userinfo": ["id": 7, "sub": "ignored", "email": "b@example.com", "email_verified": true]])
        let both = try signIn(provider(), as: "both").get()
        XCTAssertEqual(both.subject, "7")
        XCTAssertTrue(both.emailVerified)
    }

    func testAFalseEmailVerifiedIsUnverified() throws {
        try putUser("f", ["userinfo": ["id": "f", "email": "f@example.com", "email_verified": false]])
        XCTAssertFalse(try signIn(provider(), as: "f").get().emailVerified)
    }

    func testNestedMembersAreReachedByDottedNames() throws {
        try putUser("n", ["userinfo": ["data": ["id": "99", "username": "nine", "name": "Nine"]]])
        let identity = try signIn(provider { $0.claims = ClaimNames(id: "data.id", name: "data.name") }, as: "n").get()
        XCTAssertEqual(identity.subject, "99")
        XCTAssertEqual(identity.login, "nine")
        XCTAssertEqual(identity.name, "Nine")
    }

    func testAUserinfoWithoutAnIdFails() throws {
        try putUser("noid", ["userinfo": ["email": "x@example.com"]])
        let result = try signIn(provider(), as: "noid")
        XCTAssertEqual(result.failureDescription, AuthError.userinfoFailed("no \"id\" or \"sub\" member").description)
    }

    func testClientSecretBasicIsTheDefaultAndPostIsAnOption() throws {
        try putUser("amy", ["userinfo": ["id": "amy"]])
        _ = try signIn(provider(), as: "amy").get()
        var token = try XCTUnwrap(seenRequests(path: "/oauth2/token").last)
        XCTAssertEqual(
            (token["headers"] as? [String: String])?["Authorization"],
            "Basic " + Data("client-id:client-secret".utf8).base64EncodedString())
        XCTAssertNil((token["form"] as? [String: String])?["client_secret"])

        _ = try signIn(provider { $0.client.tokenAuth = .clientSecretPost }, as: "amy").get()
        token = try XCTUnwrap(seenRequests(path: "/oauth2/token").last)
        XCTAssertNil((token["headers"] as? [String: String])?["Authorization"])
        XCTAssertEqual((token["form"] as? [String: String])?["client_secret"], "client-secret")
        let userinfo = try XCTUnwrap(seenRequests(path: "/userinfo").last?["headers"] as? [String: String])
        XCTAssertTrue(userinfo["Authorization"]?.hasPrefix("Bearer ") == true)
    }

    func testTokenEndpointErrorIsAFailure() throws {
        try putUser("amy", ["userinfo": ["id": "amy"]])
        let result = try signIn(provider(secret: "nope"), as: "amy")
        XCTAssertEqual(result.failureDescription, AuthError.providerError("invalid_client").description)
    }

    func testDeniedAuthorizationIsADenial() throws {
        let provider = provider()
        let start = try begin(provider)
        let query = try visit(start.authorizationURL, login: "amy", decision: "deny")
        XCTAssertTrue(provider.isDenial(query))
        let result = try finish(provider, query: query, remembered: start.remembered)
        XCTAssertEqual(result.failureDescription, AuthError.providerDenied("access_denied").description)
    }

    func testACallbackWithoutACodeFails() throws {
        let provider = provider()
        let start = try begin(provider)
        let result = try finish(provider, query: ["state": start.key], remembered: start.remembered)
        XCTAssertEqual(result.failureDescription, AuthError.malformedResponse("the callback has no code").description)
    }

    // The missing endpoints and a bad token_auth are the config validator's rules: ProviderRuleTests.
    func testTheCatalogMakesAGenericProvider() throws {
        let complete = config(
            "corp",
            .oauth2(
                GenericOAuth2Settings(
                    client: client(tokenAuth: .clientSecretBasic, scopes: []),
                    authorizeURL: "https://a.example/authorize", tokenURL: "https://a.example/token",
                    userinfoURL: "https://a.example/me")))
        XCTAssertTrue(
            try ProviderCatalog.make(complete, http: http, queue: queue, logger: nil) is GenericOAuth2Provider)
    }
}
