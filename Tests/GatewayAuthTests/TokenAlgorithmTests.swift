// The token allow-list (bearer and logout tokens) next to the ID-token one, Ed25519 JWKs, and
// the gateway's own ES256 signing key.
import Foundation
import GatewayAuth
import GatewayCrypto
import XCTest

final class TokenAlgorithmTests: XCTestCase {
    private let claims: JSONValue = ["sub": "alice"]

    private func withoutAlg(_ jwk: JSONValue) -> JSONValue {
        guard case .object(var members) = jwk else { return jwk }
        members["alg"] = nil
        return .object(members)
    }

    func testTheTokenListAddsPS256AndEdDSAButNeverNoneOrHMAC() {
        XCTAssertEqual(JWTVerifier.allowedAlgorithms, ["RS256", "ES256"], "ID tokens keep their list")
        XCTAssertTrue(JWTVerifier.tokenAlgorithms.isSuperset(of: ["RS256", "PS256", "ES256"]))
        XCTAssertEqual(JWTVerifier.tokenAlgorithms.contains("EdDSA"), JSONWebKey.supportsEd25519)
        for alg in ["none", "HS256", "HS384", "HS512", "RS384", "ES512", "ps256"] {
            XCTAssertFalse(JWTVerifier.tokenAlgorithms.contains(alg), alg)
            let token = TestSigningKey.rsa1.token(claims, header: ["alg": .string(alg)])
            JOSETest.assertThrows(.algorithmNotAllowed(alg)) { () throws(JWTError) in
                try JWTVerifier.verify(
                    CompactJWS(token), keys: JOSETest.keySet(.rsa1), allowed: JWTVerifier.tokenAlgorithms)
            }
        }
    }

    func testAPKCS1SignatureDoesNotVerifyAsPSS() throws {
        let set = try JWKSet(json: JOSETest.jwks([withoutAlg(TestSigningKey.rsa1.jwk())]))
        let token = TestSigningKey.rsa1.token(claims, header: ["alg": "PS256"])
        JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in
            try JWTVerifier.verify(CompactJWS(token), keys: set, allowed: JWTVerifier.tokenAlgorithms)
        }
        // A key that says RS256 may never verify PS256, whatever the token claims.
        JOSETest.assertThrows(.keyAlgorithmMismatch) { () throws(JWTError) in
            try JWTVerifier.verify(
                CompactJWS(token), keys: JOSETest.keySet(.rsa1), allowed: JWTVerifier.tokenAlgorithms)
        }
    }

    func testEd25519JWKsAreReadAndOthersRefused() throws {
        try XCTSkipUnless(JSONWebKey.supportsEd25519)
        let x = Base64URL.encode([UInt8](repeating: 7, count: 32))
        let key = try JSONWebKey(jwk: ["kty": "OKP", "crv": "Ed25519", "x": .string(x), "kid": "ed"])
        XCTAssertEqual(key.type, .ed25519)
        XCTAssertTrue(key.canVerify(algorithm: "EdDSA"))
        XCTAssertFalse(key.canVerify(algorithm: "ES256"))
        XCTAssertThrowsError(try JSONWebKey(jwk: ["kty": "OKP", "crv": "X25519", "x": .string(x)]))
        XCTAssertThrowsError(
            try JSONWebKey(jwk: ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode([1, 2, 3]))]))
        // A token signed with another scheme never verifies with the Ed25519 key.
        let set = JWKSet(keys: [key])
        let token = TestSigningKey.ec1.token(claims, header: ["alg": "EdDSA"], kid: "ed")
        JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in
            try JWTVerifier.verify(CompactJWS(token), keys: set, allowed: JWTVerifier.tokenAlgorithms)
        }
    }

    func testTheDerivedSigningKeyIsDeterministicAndItsSignaturesVerify() throws {
        let a = try ES256SigningKey(derivedFrom: "0123456789abcdef0123456789abcdef")
        let b = try ES256SigningKey(derivedFrom: "0123456789abcdef0123456789abcdef")
        let c = try ES256SigningKey(derivedFrom: "another secret of thirty-two bytes!")
        XCTAssertEqual(a.publicJWK, b.publicJWK)
        XCTAssertEqual(a.keyID, b.keyID)
        XCTAssertNotEqual(a.keyID, c.keyID)
        XCTAssertFalse(a.jwksJSON.contains("\"d\""), "the private scalar is never published")

        // kid: the RFC 7638 thumbprint of the published members.
        let jwk = try XCTUnwrap(JSONValue.parse(Array(a.publicJWK.utf8)))
        let canonical =
            "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"\(jwk["x"]!.stringValue!)\",\"y\":\"\(jwk["y"]!.stringValue!)\"}"
        XCTAssertEqual(a.keyID, Base64URL.encode(Digest.sha256(Array(canonical.utf8))))

        let token = try XCTUnwrap(a.sign(payload: Array(#"{"sub":"u_1"}"#.utf8)))
        let set = JWKSet(keys: [try a.publicKey()])
        let verified = try JWTVerifier.verify(CompactJWS(token), keys: set)
        XCTAssertEqual(verified.subject, "u_1")
        XCTAssertEqual(try CompactJWS(token).keyID, a.keyID)
        XCTAssertThrowsError(try JWTVerifier.verify(CompactJWS(token), keys: JWKSet(keys: [try c.publicKey()])))
    }

    func testAPEMKeyIsReadAndAnythingButP256Refused() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let pem = try String(
            contentsOf: root.appendingPathComponent("deploy/examples/identity-assertion-key.example.pem"),
            encoding: .utf8)
        let key = try ES256SigningKey(pem: pem)
        XCTAssertNotNil(key.sign(payload: Array("{}".utf8)))
        XCTAssertThrowsError(try ES256SigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        XCTAssertThrowsError(try ES256SigningKey(pem: ""))
    }
}
