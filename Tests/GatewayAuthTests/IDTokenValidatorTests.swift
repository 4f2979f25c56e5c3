// ID-token claim rules (OIDC Core §3.1.3.7) on really signed tokens: each refusal's exact reason.
import GatewayAuth
import XCTest

final class IDTokenValidatorTests: XCTestCase {
    private let now: Double = 1_750_000_000
    private let nonce = "n-0S6_WzA2Mj"
    private let validator = IDTokenValidator(issuer: JOSETest.issuer, clientID: JOSETest.clientID)
    private let keys = JOSETest.keySet(.rsa1, .ec1)

    private func validate(_ extra: [String: JSONValue?], key: TestSigningKey = .rsa1, nonce expected: String? = nil)
        throws(JWTError) -> JWTClaims
    {
        let token = key.token(JOSETest.claims(now: now, nonce: nonce, extra: extra))
        return try validator.validate(token, keys: keys, expectedNonce: expected ?? nonce, now: now)
    }

    private func assertRejected(
        _ extra: [String: JSONValue?], _ expected: JWTError, nonce: String? = nil, line: UInt = #line
    ) {
        JOSETest.assertThrows(expected, line: line) { () throws(JWTError) in try validate(extra, nonce: nonce) }
    }

    func testValidTokenYieldsTypedClaims() throws {
        for key in [TestSigningKey.rsa1, .ec1] {
            let claims = try validate(["hd": "example.com"], key: key)
            XCTAssertEqual(claims.subject, "248289761001")
            XCTAssertEqual(claims.email, "janedoe@example.com")
            XCTAssertTrue(claims.emailVerified)
            XCTAssertEqual(claims.name, "Jane Doe")
            XCTAssertEqual(claims.preferredUsername, "jane")
            XCTAssertEqual(claims.hostedDomain, "example.com")
            XCTAssertEqual(claims["iss"], .string(JOSETest.issuer))
        }
    }

    func testEmailVerifiedAcceptsBooleanOrTheStringTrue() throws {
        XCTAssertTrue(try validate(["email_verified": "true"]).emailVerified)
        XCTAssertFalse(try validate(["email_verified": "false"]).emailVerified)
        XCTAssertFalse(try validate(["email_verified": false]).emailVerified)
        XCTAssertFalse(try validate(["email_verified": 1]).emailVerified)
        XCTAssertFalse(try validate(["email_verified": .null]).emailVerified)
        XCTAssertFalse(try validate(["email_verified": nil]).emailVerified)
    }

    func testWrongIssuerIsRejected() {
        assertRejected(["iss": "https://evil.example.test"], .issuerMismatch)
        assertRejected(["iss": .string(JOSETest.issuer + "/")], .issuerMismatch)
        assertRejected(["iss": 1], .missingClaim("iss"))
    }

    func testWrongAudienceIsRejected() {
        assertRejected(["aud": "someone-else"], .audienceMismatch)
        assertRejected(["aud": ["someone-else", "another"], "azp": .string(JOSETest.clientID)], .audienceMismatch)
        assertRejected(["aud": [1]], .missingClaim("aud"))
        assertRejected(["aud": nil], .missingClaim("aud"))
    }

    func testSeveralAudiencesNeedAzpEqualToClientID() throws {
        assertRejected(["aud": [.string(JOSETest.clientID), "other"]], .authorizedPartyMismatch)
        assertRejected(["aud": [.string(JOSETest.clientID), "other"], "azp": "other"], .authorizedPartyMismatch)
        assertRejected(["azp": "other"], .authorizedPartyMismatch)
        XCTAssertNoThrow(
            try validate(["aud": [.string(JOSETest.clientID), "other"], "azp": .string(JOSETest.clientID)]))
        XCTAssertNoThrow(try validate(["aud": [.string(JOSETest.clientID)]]))
    }

    func testExpiredTokenIsRejectedAfterTheSkew() {
        assertRejected(["exp": .number(now - 61)], .expired)
        assertRejected(["exp": .number(now - 60)], .expired)
        XCTAssertNoThrow(try validate(["exp": .number(now - 59)]))
        assertRejected(["exp": "soon"], .missingClaim("exp"))
    }

    func testIssuedInTheFutureIsRejectedAfterTheSkew() {
        assertRejected(["iat": .number(now + 61)], .issuedInFuture)
        XCTAssertNoThrow(try validate(["iat": .number(now + 60)]))
        assertRejected(["iat": nil], .missingClaim("iat"))
        assertRejected(["nbf": .number(now + 61)], .notYetValid)
        XCTAssertNoThrow(try validate(["nbf": .number(now + 30)]))
    }

    func testWrongOrMissingNonceIsRejected() {
        assertRejected([:], .nonceMismatch, nonce: "another-nonce")
        assertRejected([:], .nonceMismatch, nonce: "")
        assertRejected(["nonce": nil], .nonceMismatch)
        assertRejected(["nonce": 5], .nonceMismatch)
    }

    func testSubjectIsRequired() {
        assertRejected(["sub": nil], .missingClaim("sub"))
        assertRejected(["sub": ""], .missingClaim("sub"))
    }

    func testSignatureIsCheckedBeforeClaims() {
        // A forged token with otherwise perfect claims still fails on its signature.
        let token = TestSigningKey.rsa2.token(JOSETest.claims(now: now, nonce: nonce), kid: "rsa-1")
        JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in
            try validator.validate(token, keys: keys, expectedNonce: nonce, now: now)
        }
    }

    func testErrorDescriptionsNameTheRuleAndStayShort() {
        XCTAssertEqual(JWTError.expired.description, "token has expired")
        let long = String(repeating: "k", count: 500) + "\"\n"
        XCTAssertLessThan(JWTError.unknownKeyID(long).description.count, 120)
        XCTAssertFalse(JWTError.algorithmNotAllowed("a\"b\n").description.contains("\n"))
    }
}
