// `accept bearer`: API clients with JWTs made by joserfc, against the real gateway on loopback.
import Foundation
import GatewayTestSupport
import XCTest

final class BearerTokenTests: IntegrationTestCase {
    private var issuer: JWTIssuer!
    private var gateway: GatewayProcess!
    private var base: URL!

    private func start(store: String = "memory", extra: String = "") throws {
        issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }",
            store: store, extra: extra,
            locations: """
                location /api/admin/ { accept bearer issuer=\(issuer.issuer) audience=api; allow email boss@example.com; proxy_pass app; }
                location /api/ { accept bearer issuer=\(issuer.issuer) audience=api; proxy_pass app; }
                location / { auth required; proxy_pass app; }
                """,
            discoveringProviders: 2)
    }

    private func call(_ path: String = "/api/thing", token: String?, extra: [(String, String)] = []) throws
        -> TestResponse
    {
        var headers = [("Accept", "application/json")] + extra
        if let token { headers.append(("Authorization", "Bearer " + token)) }
        return try gateway.client().request("GET", path, headers: headers)
    }

    func testEachAllowedAlgorithmIsAcceptedWithIdentityHeaders() throws {
        try start()
        for alg in ["RS256", "PS256", "ES256", "EdDSA"] {
            let token = try issuer.mint(["kind": "bearer", "alg": alg, "sub": "svc-\(alg)"])
            let response = try call(token: token, extra: [("X-Auth-User-Id", "u_forged")])
            XCTAssertEqual(response.status, 200, "\(alg): \(response.text)")
            let echo = try response.json()
            XCTAssertEqual(headerValues("X-Auth-User", in: echo), ["svc-\(alg)"], alg)
            XCTAssertEqual(headerValues("X-Auth-Provider", in: echo), ["idp"], alg)
            XCTAssertEqual(headerValues("X-Auth-Identities", in: echo), ["idp:svc-\(alg)"], alg)
            // Linked to nobody: no user id, and the client's forged one is gone.
            XCTAssertEqual(headerValues("X-Auth-User-Id", in: echo), [], alg)
        }
    }

    func testBadTokensGet401WithTheRFC6750ChallengeAndAreNeverLogged() throws {
        try start()
        var tokens: [String] = []
        for variant in [
            "none", "hs256", "expired", "nbf_future", "iat_future", "wrong_aud", "wrong_iss", "unknown_kid", "no_exp",
            "tampered",
        ] {
            let token = try issuer.mint(["kind": "bearer", "variant": variant])
            tokens.append(token)
            let response = try call(token: token)
            XCTAssertEqual(response.status, 401, "\(variant) was let through: \(response.text)")
            let challenge = response.header("WWW-Authenticate") ?? ""
            XCTAssertTrue(challenge.hasPrefix("Bearer realm=\""), "\(variant): \(challenge)")
            XCTAssertTrue(challenge.contains("error=\"invalid_token\""), "\(variant): \(challenge)")
            XCTAssertTrue(challenge.contains("error_description=\""), "\(variant): \(challenge)")
            XCTAssertEqual(try response.json()["error"] as? String, "invalid_token", variant)
        }
        XCTAssertEqual(try call(token: "not.a-jwt").status, 401)
        let logs = try gateway.settledLogs()
        for token in tokens {
            XCTAssertFalse(logs.contains(token), "a bearer token reached the logs")
            XCTAssertFalse(
                logs.contains(String(token.split(separator: ".").last ?? "")), "a signature reached the logs")
        }
    }

    func testMissingTokenGetsAChallengeWithoutAnErrorCode() throws {
        try start()
        let response = try call(token: nil)
        XCTAssertEqual(response.status, 401)
        let challenge = try XCTUnwrap(response.header("WWW-Authenticate"))
        XCTAssertTrue(challenge.hasPrefix("Bearer realm=\""), challenge)
        XCTAssertFalse(challenge.contains("error="), challenge)
        // Another scheme is not a bearer token: the session decides, and there is none.
        XCTAssertEqual(try call(token: nil, extra: [("Authorization", "Basic dXNlcjpwdw==")]).status, 401)
        // A location without accept bearer ignores the header and wants a session.
        let token = try issuer.mint(["kind": "bearer"])
        XCTAssertEqual(try call("/app/", token: token).status, 401)
    }

    func testUnknownKeyIDsRefetchTheKeysAtMostOnceAMinute() throws {
        try start()
        XCTAssertEqual(try call(token: try issuer.mint(["kind": "bearer"])).status, 200)
        let before = try issuer.jwksFetches
        for _ in 0..<5 {
            XCTAssertEqual(try call(token: try issuer.mint(["kind": "bearer", "variant": "unknown_kid"])).status, 401)
        }
        let after = try issuer.jwksFetches
        XCTAssertLessThanOrEqual(after - before, 1, "unknown kids hammered the issuer's JWKS")
    }

    func testATokenOfALinkedIdentityCarriesThatUsersIDAndTheRulesApply() throws {
        try start(store: "redis://127.0.0.1:\(try redisPort())/0")
        let sub = "alice-\(UUID().uuidString.prefix(8))"
        try issuer.loginAs(sub: sub, email: "boss@example.com")
        let browser = Browser()
        let page = try signInThroughIssuer(browser, base: base)
        let userID = try XCTUnwrap(headerValues("X-Auth-User-Id", in: try page.response.json()).first)

        let token = try issuer.mint(["kind": "bearer", "sub": sub, "alg": "ES256"])
        let echo = try call(token: token).json()
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: echo), [userID], "an API call and a browser session differ")
        XCTAssertEqual(headerValues("X-Auth-Email", in: echo), ["boss@example.com"])
        XCTAssertEqual(try call("/api/admin/x", token: token).status, 200)

        // With a bearer header the token alone decides: a valid session cookie next to a bad
        // token does not let it through; without the header the same cookie does.
        let cookie = ("Cookie", "__gateway=" + (browser.cookies(for: base)["__gateway"] ?? ""))
        let expired = try issuer.mint(["kind": "bearer", "sub": sub, "variant": "expired"])
        XCTAssertEqual(try call(token: expired, extra: [cookie]).status, 401)
        XCTAssertEqual(try call(token: nil, extra: [cookie]).status, 200)

        let other = try issuer.mint(["kind": "bearer", "sub": "mallory", "email": "mallory@example.com"])
        let refused = try call("/api/admin/x", token: other)
        XCTAssertEqual(refused.status, 403)
        XCTAssertTrue(refused.header("WWW-Authenticate")?.contains("insufficient_scope") ?? false)
    }
}
