// JWS verification with real RSA-2048 and P-256 keys: what passes and the exact reason for refusals.
import Foundation
import GatewayAuth
import GatewayCrypto
import XCTest

final class JWTVerifierTests: XCTestCase {
    private let claims: JSONValue = ["sub": "alice", "iss": "https://idp.example.test"]
    private var keys: JWKSet { JOSETest.keySet(.rsa1, .ec1) }

    func testValidRS256TokenVerifies() throws {
        let token = TestSigningKey.rsa1.token(claims)
        let verified = try JWTVerifier.verify(token, keys: keys)
        XCTAssertEqual(verified.subject, "alice")
    }

    func testValidES256TokenVerifies() throws {
        let token = TestSigningKey.ec1.token(claims)
        XCTAssertEqual(JOSETest.part(token, 2).utf8.count, 86, "ES256 signatures are 64 raw bytes")
        let verified = try JWTVerifier.verify(token, keys: keys)
        XCTAssertEqual(verified.subject, "alice")
    }

    func testTamperedPayloadFails() {
        for key in [TestSigningKey.rsa1, .ec1] {
            let token = key.token(claims)
            let forged = JOSETest.replacingPart(
                token, 1, with: JOSETest.encode(["sub": "mallory", "iss": "https://idp.example.test"]))
            JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in try JWTVerifier.verify(forged, keys: keys)
            }
        }
    }

    func testTamperedSignatureFails() {
        for key in [TestSigningKey.rsa1, .ec1] {
            let token = key.token(claims)
            var signature = Base64URL.decode(JOSETest.part(token, 2))!
            signature[signature.count / 2] ^= 0x01
            let forged = JOSETest.replacingPart(token, 2, with: Base64URL.encode(signature))
            JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in try JWTVerifier.verify(forged, keys: keys)
            }
        }
    }

    func testES256SignatureMustBeRawRAndS() {
        let token = TestSigningKey.ec1.token(claims)
        let raw = Base64URL.decode(JOSETest.part(token, 2))!
        for bad in [Array(raw.prefix(63)), raw + [0], [UInt8](repeating: 0, count: 64)] {
            let forged = JOSETest.replacingPart(token, 2, with: Base64URL.encode(bad))
            JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in try JWTVerifier.verify(forged, keys: keys)
            }
        }
    }

    func testAlgNoneIsRejected() {
        for alg in ["none", "None", "NONE"] {
            let header: JSONValue = ["alg": .string(alg), "kid": "rsa-1"]
            let token = JOSETest.encode(header) + "." + JOSETest.encode(claims) + "."
            JOSETest.assertThrows(.algorithmNotAllowed(alg)) { () throws(JWTError) in
                try JWTVerifier.verify(token, keys: keys)
            }
        }
    }

    func testHS256SignedWithTheRSAPublicKeyAsSecretIsRejected() {
        // The classic key-confusion attack: the public key's bytes used as an HMAC secret.
        let der = TestSigningKey.rsa1.publicKeyDER
        let pem =
            "-----BEGIN PUBLIC KEY-----\n" + Data(der).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END PUBLIC KEY-----\n"
        for (alg, secret) in [("HS256", der), ("HS256", Array(pem.utf8)), ("HS384", der), ("HS512", der)] {
            let header: JSONValue = ["alg": .string(alg), "kid": "rsa-1"]
            let input = JOSETest.encode(header) + "." + JOSETest.encode(claims)
            let mac = MessageAuthentication.hmacSHA256(key: secret, message: Array(input.utf8))
            let token = input + "." + Base64URL.encode(mac)
            JOSETest.assertThrows(.algorithmNotAllowed(alg)) { () throws(JWTError) in
                try JWTVerifier.verify(token, keys: keys)
            }
        }
    }

    func testOtherAlgorithmsAreRejected() {
        for alg in ["RS384", "RS512", "PS256", "ES384", "ES512", "EdDSA", "rs256", ""] {
            let token = TestSigningKey.rsa1.token(claims, header: ["alg": .string(alg)])
            JOSETest.assertThrows(.algorithmNotAllowed(alg)) { () throws(JWTError) in
                try JWTVerifier.verify(token, keys: keys)
            }
        }
    }

    func testKeyWhoseTypeDoesNotMatchTheAlgorithmIsRejected() {
        // An ES256 token naming the RSA key, and an RS256 token naming the EC key.
        let es = TestSigningKey.ec1.token(claims, kid: "rsa-1")
        JOSETest.assertThrows(.keyAlgorithmMismatch) { () throws(JWTError) in try JWTVerifier.verify(es, keys: keys) }
        let rs = TestSigningKey.rsa1.token(claims, kid: "ec-1")
        JOSETest.assertThrows(.keyAlgorithmMismatch) { () throws(JWTError) in try JWTVerifier.verify(rs, keys: keys) }
    }

    func testKeyWithItsOwnAlgOnlyVerifiesThatAlg() throws {
        let jwk = TestSigningKey.rsa1.jwk(extra: ["alg": "RS512"])
        let set = try JWKSet(json: JOSETest.jwks([jwk]))
        let token = TestSigningKey.rsa1.token(claims)
        JOSETest.assertThrows(.keyAlgorithmMismatch) { () throws(JWTError) in try JWTVerifier.verify(token, keys: set) }
    }

    func testUnknownKidIsRejected() {
        let token = TestSigningKey.rsa2.token(claims)
        JOSETest.assertThrows(.unknownKeyID("rsa-2")) { () throws(JWTError) in try JWTVerifier.verify(token, keys: keys)
        }
    }

    func testSignatureByAnotherKeyWithAKnownKidFails() {
        let token = TestSigningKey.rsa2.token(claims, kid: "rsa-1")
        JOSETest.assertThrows(.invalidSignature) { () throws(JWTError) in try JWTVerifier.verify(token, keys: keys) }
    }

    func testTokenWithoutKidTriesTheKeysOfItsType() throws {
        let set = JOSETest.keySet(.rsa2, .rsa1, .ec1)
        let nullKid = TestSigningKey.rsa1.token(claims, header: ["kid": .null])
        let header: JSONValue = ["alg": "RS256"]
        let input = JOSETest.encode(header) + "." + JOSETest.encode(claims)
        let noKid = input + "." + Base64URL.encode(TestSigningKey.rsa1.sign(Array(input.utf8)))
        XCTAssertEqual(try JWTVerifier.verify(noKid, keys: set).subject, "alice")
        JOSETest.assertThrows(.malformed("\"kid\" must be a string")) { () throws(JWTError) in
            try JWTVerifier.verify(nullKid, keys: set)
        }
        let ecOnly = JOSETest.keySet(.ec1)
        JOSETest.assertThrows(.unknownKeyID(nil)) { () throws(JWTError) in try JWTVerifier.verify(noKid, keys: ecOnly) }
    }

    func testMalformedTokensAreRejectedWithTheirReason() {
        let good = TestSigningKey.rsa1.token(claims)
        let parts = good.split(separator: ".").map(String.init)
        let cases: [(String, JWTError)] = [
            ("", .malformed("expected three dot-separated parts")),
            (parts[0] + "." + parts[1], .malformed("expected three dot-separated parts")),
            (good + ".x", .malformed("expected three dot-separated parts")),
            ("!!." + parts[1] + "." + parts[2], .malformed("header is not a base64url JSON object")),
            (parts[0] + "=." + parts[1] + "." + parts[2], .malformed("header is not a base64url JSON object")),
            (
                JOSETest.encode(["x"]) + "." + parts[1] + "." + parts[2],
                .malformed("header is not a base64url JSON object")
            ),
            (
                JOSETest.encode(["kid": "rsa-1"]) + "." + parts[1] + "." + parts[2],
                .malformed("header has no \"alg\" string")
            ),
            (
                JOSETest.encode(["alg": "RS256", "crit": ["exp"]]) + "." + parts[1] + "." + parts[2],
                .malformed("unsupported \"crit\" header")
            ),
            (parts[0] + ".." + parts[2], .malformed("payload is not base64url")),
            (parts[0] + "." + parts[1] + ".a+b", .malformed("signature is not base64url")),
            (String(repeating: "a", count: 70_000), .malformed("token is too long")),
        ]
        for (token, expected) in cases {
            JOSETest.assertThrows(expected) { () throws(JWTError) in try JWTVerifier.verify(token, keys: keys) }
        }
    }

    func testNonCanonicalBase64IsRejected() {
        // A 256-byte signature ends in a character whose low 4 bits are discarded: flipping its
        // lowest bit spells the same bytes differently, which must not pass as the same token.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let token = TestSigningKey.rsa1.token(claims)
        var signature = JOSETest.part(token, 2)
        let last = signature.removeLast()
        let twin = String(signature) + String(alphabet[alphabet.firstIndex(of: last)! ^ 1])
        XCTAssertEqual(Base64URL.decode(twin), Base64URL.decode(JOSETest.part(token, 2)))
        let forged = JOSETest.replacingPart(token, 2, with: twin)
        JOSETest.assertThrows(.malformed("signature is not base64url")) { () throws(JWTError) in
            try JWTVerifier.verify(forged, keys: keys)
        }
    }

    func testPayloadMustBeAJSONObject() {
        let input = JOSETest.encode(["alg": "RS256", "kid": "rsa-1"]) + "." + Base64URL.encode(Array("[1]".utf8))
        let token = input + "." + Base64URL.encode(TestSigningKey.rsa1.sign(Array(input.utf8)))
        JOSETest.assertThrows(.malformed("payload is not a JSON object")) { () throws(JWTError) in
            try JWTVerifier.verify(token, keys: keys)
        }
    }
}
