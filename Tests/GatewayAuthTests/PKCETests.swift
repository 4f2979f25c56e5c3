// PKCE S256 (RFC 7636) and the random values of one sign-in.
import GatewayAuth
import GatewayCrypto
import XCTest

final class PKCETests: XCTestCase {
    /// RFC 7636 appendix B. (The challenge is the RFC's; `openssl dgst -sha256 -binary | base64`
    /// agrees. A copy of this vector ending in "...CMoEZ8wlI9Z0tUqIv8hfHS8" is corrupted.)
    func testChallengeMatchesRFC7636AppendixB() {
        XCTAssertEqual(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        XCTAssertEqual(
            PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        XCTAssertEqual(PKCE.method, "S256")
    }

    func testFreshVerifierIs43Base64URLCharactersFrom32RandomBytes() {
        let a = PKCE()
        let b = PKCE()
        XCTAssertEqual(a.verifier.utf8.count, 43)
        XCTAssertEqual(Base64URL.decode(a.verifier)?.count, 32)
        XCTAssertNotEqual(a.verifier, b.verifier)
        XCTAssertEqual(a.challenge.utf8.count, 43)
        XCTAssertNotNil(PKCE(verifier: a.verifier))
    }

    func testRefusesVerifiersOutsideRFC7636Syntax() {
        XCTAssertNil(PKCE(verifier: String(repeating: "a", count: 42)))
        XCTAssertNil(PKCE(verifier: String(repeating: "a", count: 129)))
        XCTAssertNil(PKCE(verifier: String(repeating: "a", count: 42) + "+"))
        XCTAssertNotNil(PKCE(verifier: String(repeating: "a", count: 124) + "-._~"))
    }

    func testAuthorizationRequestIsFreshAndComparesStateInConstantTime() {
        let a = AuthorizationRequest.generate()
        let b = AuthorizationRequest.generate()
        XCTAssertEqual(Base64URL.decode(a.state)?.count, 32)
        XCTAssertEqual(Base64URL.decode(a.nonce)?.count, 32)
        XCTAssertEqual(a.codeVerifier.utf8.count, 43)
        XCTAssertNotEqual(a.state, b.state)
        XCTAssertNotEqual(a.nonce, b.nonce)
        XCTAssertNotEqual(a.state, a.nonce)
        XCTAssertTrue(a.matchesState(a.state))
        XCTAssertFalse(a.matchesState(b.state))
        XCTAssertFalse(a.matchesState(""))
    }
}
