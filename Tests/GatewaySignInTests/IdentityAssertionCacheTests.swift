// The assertion's claims and its per-session cache: reused for 30 s, signed again after, or
// at once when what it says changed.
import GatewayAuth
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class IdentityAssertionCacheTests: XCTestCase {
    private let key = try! ES256SigningKey(derivedFrom: "0123456789abcdef0123456789abcdef-test")

    private func record(identities: [String] = ["corp:1"]) -> SessionRecord {
        var r = SessionRecord(
            userID: "u_1", provider: "corp", subject: "1", email: "a@example.com", identities: identities, createdAt: 0,
            expiresAt: 9_999_999_999, lastSeenAt: 0)
        r.emailVerified = true
        return r
    }

    private func token(_ header: [UInt8]) throws -> String {
        let line = String(decoding: header, as: UTF8.self)
        XCTAssertTrue(line.hasPrefix("X-Auth-Assertion: ") && line.hasSuffix("\r\n"), line)
        return String(line.dropFirst("X-Auth-Assertion: ".count).dropLast())  // "\r\n" is one Character
    }

    func testClaimsAndSignature() throws {
        let assertion = IdentityAssertion(key: key, audience: "https://app.example.com", enabledByDefault: true)
        let jwt = try token(assertion.header(for: record(), cacheKey: "s1", now: 1_000))
        let claims = try JWTVerifier.verify(CompactJWS(jwt), keys: JWKSet(keys: [try key.publicKey()]))
        XCTAssertEqual(claims.subject, "u_1")
        XCTAssertEqual(claims.issuer, "https://app.example.com")
        XCTAssertEqual(claims.audiences, ["https://app.example.com"])
        XCTAssertEqual(claims.email, "a@example.com")
        XCTAssertEqual(claims.issuedAt, 1_000)
        XCTAssertEqual(claims.expiresAt, 1_060)
        XCTAssertEqual(claims["identities"], .array(["corp:1"]))
        var unverified = record()
        unverified.emailVerified = false
        let other = try token(assertion.header(for: unverified, cacheKey: "s2", now: 1_000))
        XCTAssertNil(try JWTVerifier.verify(CompactJWS(other), keys: JWKSet(keys: [try key.publicKey()])).email)
    }

    func testReusedWithinHalfItsLifetimeAndSignedAgainAfterOrOnChange() {
        let assertion = IdentityAssertion(key: key, audience: "https://app.example.com", enabledByDefault: true)
        let first = assertion.header(for: record(), cacheKey: "s1", now: 1_000)
        XCTAssertEqual(assertion.header(for: record(), cacheKey: "s1", now: 1_029), first)
        XCTAssertEqual(assertion.signatures, 1)
        XCTAssertNotEqual(assertion.header(for: record(), cacheKey: "s1", now: 1_030), first)
        XCTAssertEqual(assertion.signatures, 2)
        _ = assertion.header(for: record(identities: ["corp:1", "github:2"]), cacheKey: "s1", now: 1_031)
        XCTAssertEqual(assertion.signatures, 3, "a linked identity was not in the reused assertion")
        _ = assertion.header(for: record(), cacheKey: "s2", now: 1_031)
        XCTAssertEqual(assertion.signatures, 4, "two sessions shared an assertion")
    }

    func testABearerIdentityWithoutAUserIsNeverAUserID() {
        var r = record()
        r.userID = ""
        XCTAssertEqual(IdentityAssertion.subject(of: r), "corp:1")
        r.provider = ""
        r.subject = "u_looks_like_a_user"
        XCTAssertEqual(IdentityAssertion.subject(of: r), "bearer:u_looks_like_a_user")
    }
}
