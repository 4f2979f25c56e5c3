// Real keys and real signatures for the JOSE and OIDC tests: OpenSSL generates, signs, exports.
import CCryptoShims
import COpenSSL
import GatewayAuth
import GatewayCrypto
import XCTest

/// A private signing key made by OpenSSL (RSA-2048 or P-256), with its public JWK.
final class TestSigningKey: @unchecked Sendable {
    enum Kind { case rsa, p256 }

    let kind: Kind
    let kid: String
    /// The owned `EVP_PKEY *` (private and public halves).
    let pkey: OpaquePointer

    init(_ kind: Kind, kid: String) {
        self.kind = kind
        self.kid = kid
        let made = kind == .rsa ? gw_jose_generate_rsa(2048) : gw_jose_generate_p256()
        self.pkey = made!
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Keys are slow to make (RSA), so the suites share a few.
    static let rsa1 = TestSigningKey(.rsa, kid: "rsa-1")
    static let rsa2 = TestSigningKey(.rsa, kid: "rsa-2")
    static let ec1 = TestSigningKey(.p256, kid: "ec-1")

    var algorithm: String { kind == .rsa ? "RS256" : "ES256" }

    /// The public JWK, as an IdP would publish it.
    func jwk(kid: String? = nil, extra: [String: JSONValue] = [:]) -> JSONValue {
        var members: [String: JSONValue] = ["kid": .string(kid ?? self.kid), "use": "sig", "alg": .string(algorithm)]
        switch kind {
        case .rsa:
            var n = [UInt8](repeating: 0, count: 512)
            var e = [UInt8](repeating: 0, count: 16)
            var nLen = 0
            var eLen = 0
            precondition(gw_jose_rsa_public_params(pkey, &n, n.count, &nLen, &e, e.count, &eLen) == 1)
            members["kty"] = "RSA"
            members["n"] = .string(Base64URL.encode(Array(n.prefix(nLen))))
            members["e"] = .string(Base64URL.encode(Array(e.prefix(eLen))))
        case .p256:
            var x = [UInt8](repeating: 0, count: 32)
            var y = [UInt8](repeating: 0, count: 32)
            precondition(gw_jose_ec_p256_public_params(pkey, &x, &y) == 1)
            members["kty"] = "EC"
            members["crv"] = "P-256"
            members["x"] = .string(Base64URL.encode(x))
            members["y"] = .string(Base64URL.encode(y))
        }
        for (key, value) in extra { members[key] = value }
        return .object(members)
    }

    /// The DER SubjectPublicKeyInfo: the bytes an attacker would use as an "HS256 secret".
    var publicKeyDER: [UInt8] {
        var out = [UInt8](repeating: 0, count: 1024)
        let length = gw_jose_public_key_der(pkey, &out, out.count)
        precondition(length > 0)
        return Array(out.prefix(Int(length)))
    }

    /// A JOSE signature over `message`: PKCS #1 v1.5 for RSA, raw r||s for ES256.
    func sign(_ message: [UInt8]) -> [UInt8] {
        let ctx = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(ctx) }
        precondition(EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1)
        var length = 0
        _ = message.withUnsafeBufferPointer { m in EVP_DigestSign(ctx, nil, &length, m.baseAddress, m.count) }
        var signature = [UInt8](repeating: 0, count: length)
        let ok = message.withUnsafeBufferPointer { m in
            signature.withUnsafeMutableBufferPointer { s in
                EVP_DigestSign(ctx, s.baseAddress, &length, m.baseAddress, m.count)
            }
        }
        precondition(ok == 1)
        signature = Array(signature.prefix(length))
        guard kind == .p256 else { return signature }
        var raw = [UInt8](repeating: 0, count: 64)
        precondition(gw_jose_ecdsa_der_to_raw(signature, signature.count, &raw, 32) == 64)
        return raw
    }

    /// A signed compact JWS with `{"alg", "kid"}` (plus `header`) over `claims`.
    func token(_ claims: JSONValue, header: [String: JSONValue] = [:], kid: String? = nil) -> String {
        var h: [String: JSONValue] = ["alg": .string(algorithm), "kid": .string(kid ?? self.kid), "typ": "JWT"]
        for (key, value) in header { h[key] = value }
        let input = JOSETest.encode(.object(h)) + "." + JOSETest.encode(claims)
        return input + "." + Base64URL.encode(sign(Array(input.utf8)))
    }
}

enum JOSETest {
    static func encode(_ json: JSONValue) -> String {
        Base64URL.encode(Array(json.serialized.utf8))
    }

    /// A JWKS document with these keys.
    static func jwks(_ keys: [JSONValue]) -> [UInt8] {
        Array(JSONValue.object(["keys": .array(keys)]).serialized.utf8)
    }

    static func keySet(_ keys: TestSigningKey...) -> JWKSet {
        try! JWKSet(json: jwks(keys.map { $0.jwk() }))
    }

    /// Replaces part `index` (0 header, 1 payload, 2 signature) of a compact token.
    static func replacingPart(_ token: String, _ index: Int, with part: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = part
        return parts.joined(separator: ".")
    }

    static func part(_ token: String, _ index: Int) -> String {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[index]
    }

    static let issuer = "https://idp.example.test"
    static let clientID = "gateway-client"

    /// A valid claim set for `issuer`/`clientID` issued now, with `nonce`.
    /// `extra` overrides claims; a nil value removes the claim.
    static func claims(now: Double, nonce: String = "n-0S6_WzA2Mj", extra: [String: JSONValue?] = [:]) -> JSONValue {
        var members: [String: JSONValue] = [
            "iss": .string(issuer), "sub": "248289761001", "aud": .string(clientID), "nonce": .string(nonce),
            "iat": .number(now.rounded(.down)), "exp": .number(now.rounded(.down) + 600),
            "email": "janedoe@example.com", "email_verified": true, "name": "Jane Doe",
            "preferred_username": "jane",
        ]
        for (key, value) in extra { members[key] = value }
        return .object(members)
    }

    /// Asserts that `body` throws exactly `expected`.
    static func assertThrows<T>(
        _ expected: JWTError, file: StaticString = #filePath, line: UInt = #line,
        _ body: () throws(JWTError) -> T
    ) {
        do {
            _ = try body()
            XCTFail("expected \(expected), but nothing was thrown", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }
}
