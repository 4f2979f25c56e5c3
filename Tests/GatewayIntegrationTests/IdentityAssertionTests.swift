// `identity_assertion on`: the upstream receives an ES256 JWT that joserfc verifies against
// the gateway's /auth/jwks.json; clients cannot send their own.
import Foundation
import GatewayTestSupport
import XCTest

final class IdentityAssertionTests: IntegrationTestCase {
    private func start(_ issuer: JWTIssuer, upstreamPort: Int, extra: String = "identity_assertion on;")
        throws -> (GatewayProcess, URL)
    {
        try startSignInGateway(
            upstreamPort: upstreamPort,
            providers: "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }",
            store: "memory", extra: extra,
            locations: """
                location /plain/ { auth required; identity_assertion off; proxy_pass app; }
                location / { auth required; proxy_pass app; }
                """)
    }

    func testTheUpstreamGetsAnAssertionThatJoserfcVerifies() throws {
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let (_, base) = try start(issuer, upstreamPort: upstream.port)
        try issuer.loginAs(sub: "asserted", email: "asserted@example.com")
        let browser = Browser()
        let page = try signInThroughIssuer(browser, base: base)
        let echo = try page.response.json()
        let userID = try XCTUnwrap(headerValues("X-Auth-User-Id", in: echo).first)
        let assertion = try XCTUnwrap(headerValues("X-Auth-Assertion", in: echo).first)

        let audience = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        let checked = try issuer.verifyAssertion(assertion, jwksURL: audience + "/auth/jwks.json", audience: audience)
        XCTAssertEqual(checked.status, 200, "\(checked.json)")
        let claims = try XCTUnwrap(checked.json["claims"] as? [String: Any])
        XCTAssertEqual(claims["sub"] as? String, userID)
        XCTAssertEqual(claims["email"] as? String, "asserted@example.com")
        XCTAssertEqual(claims["identities"] as? [String], ["idp:asserted"])
        let (iat, exp) = (claims["iat"] as? Int ?? 0, claims["exp"] as? Int ?? 0)
        XCTAssertEqual(exp - iat, 60)
        XCTAssertEqual((checked.json["header"] as? [String: Any])?["alg"] as? String, "ES256")
        XCTAssertNotNil((checked.json["header"] as? [String: Any])?["kid"] as? String)

        // A forged one from the client is replaced; a second request reuses the signed one.
        let again = try browser.request(
            "GET", URL(string: "/app/2", relativeTo: base)!.absoluteURL,
            headers: [("X-Auth-Assertion", "forged"), ("X_Auth_Assertion", "forged")])
        let values = headerValues("X-Auth-Assertion", in: try again.response.json())
        XCTAssertEqual(values, [assertion])
        XCTAssertFalse(headers(of: try again.response.json()).contains { $0.1 == "forged" })
        // A location that turns it off sends none.
        let plain = try browser.request("GET", URL(string: "/plain/", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(headerValues("X-Auth-Assertion", in: try plain.response.json()), [])

        let tampered = assertion.dropLast(4) + "AAAA"
        XCTAssertEqual(
            try issuer.verifyAssertion(String(tampered), jwksURL: audience + "/auth/jwks.json", audience: audience)
                .status, 400)
    }

    func testTheKeySetIsTheSameOnEveryInstanceAndComesFromTheKeyFileWhenGiven() throws {
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let (a, _) = try start(issuer, upstreamPort: upstream.port)
        let (b, _) = try start(issuer, upstreamPort: upstream.port)
        let keysA = try a.client().request("GET", "/auth/jwks.json")
        XCTAssertEqual(keysA.status, 200)
        XCTAssertTrue(keysA.header("Cache-Control")?.contains("max-age") ?? false)
        XCTAssertEqual(
            keysA.text, try b.client().request("GET", "/auth/jwks.json").text, "instances disagree on the key")

        let pem = directory.appendingPathComponent("assertion.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", pem,
        ]
        try openssl.run()
        openssl.waitUntilExit()
        XCTAssertEqual(openssl.terminationStatus, 0)
        let (c, _) = try start(
            issuer, upstreamPort: upstream.port, extra: "identity_assertion on;\nidentity_assertion_key \(pem);")
        let keysC = try c.client().request("GET", "/auth/jwks.json")
        XCTAssertEqual(keysC.status, 200)
        XCTAssertNotEqual(keysC.text, keysA.text)
        let key = try XCTUnwrap((try keysC.json()["keys"] as? [[String: Any]])?.first)
        XCTAssertEqual(key["crv"] as? String, "P-256")
        XCTAssertNil(key["d"], "the private key was published")
    }
}
