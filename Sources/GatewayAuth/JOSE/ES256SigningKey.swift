// The gateway's own P-256 signing key (for X-Auth-Assertion): from PEM or derived from a secret.
import CCryptoShims
import COpenSSL
import GatewayCrypto

/// Signs compact JWS with ES256 and publishes its public half as a JWK whose `kid` is the
/// RFC 7638 thumbprint, so every instance with the same key names it the same way.
///
/// Owns its `EVP_PKEY` and frees it in `deinit`. `@unchecked Sendable`: immutable after init,
/// and OpenSSL 3 allows concurrent signing with one key.
public final class ES256SigningKey: @unchecked Sendable {
    let pkey: OpaquePointer
    /// The RFC 7638 thumbprint of the public JWK, base64url.
    public let keyID: String
    /// `{"kty":"EC","crv":"P-256","x":...,"y":...,"kid":...,"use":"sig","alg":"ES256"}`.
    public let publicJWK: String

    private init(pkey: OpaquePointer) throws(JWTError) {
        var x = [UInt8](repeating: 0, count: 32)
        var y = [UInt8](repeating: 0, count: 32)
        guard gw_jose_ec_p256_public_params(pkey, &x, &y) == 1 else {
            EVP_PKEY_free(pkey)
            throw .invalidKey("cannot read the P-256 public point")
        }
        self.pkey = pkey
        let (bx, by) = (Base64URL.encode(x), Base64URL.encode(y))
        // RFC 7638 §3.2: the required members only, in lexicographic order, no spaces.
        let canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"\(bx)\",\"y\":\"\(by)\"}"
        keyID = Base64URL.encode(Digest.sha256(Array(canonical.utf8)))
        publicJWK =
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"\(bx)\",\"y\":\"\(by)\",\"kid\":\"\(keyID)\",\"use\":\"sig\",\"alg\":\"ES256\"}"
    }

    deinit { EVP_PKEY_free(pkey) }

    /// A P-256 private key in PEM (PKCS #8 `PRIVATE KEY` or SEC 1 `EC PRIVATE KEY`).
    public convenience init(pem: String) throws(JWTError) {
        let made = pem.withCString { gw_jose_p256_private_key_pem($0, strlen($0)) }
        guard let made else { throw .invalidKey("not a P-256 private key in PEM") }
        try self.init(pkey: made)
    }

    /// The same key from the same secret on every instance: HMAC-SHA256(secret, label || n),
    /// for the first n whose output is a valid scalar (all but ~2^-32 of the first tries).
    public convenience init(derivedFrom secret: String, label: String = "gateway identity assertion key v1")
        throws(JWTError)
    {
        let key = Array(secret.utf8)
        for n in UInt8(0)..<UInt8(16) {
            var scalar = MessageAuthentication.hmacSHA256(key: key, message: Array(label.utf8) + [n])
            defer { for i in scalar.indices { scalar[i] = 0 } }
            if let made = scalar.withUnsafeBufferPointer({ gw_jose_p256_private_key($0.baseAddress, 32) }) {
                try self.init(pkey: made)
                return
            }
        }
        throw .invalidKey("no valid P-256 scalar derived from the secret")
    }

    /// `{"keys":[...]}` with this key.
    public var jwksJSON: String { "{\"keys\":[" + publicJWK + "]}" }

    /// A compact JWS of `payload` (JSON bytes) with header `{"alg":"ES256","typ":"JWT","kid":...}`.
    public func sign(payload: [UInt8]) -> String? {
        let header = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"\(keyID)\"}"
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        var signature = [UInt8](repeating: 0, count: 64)
        let written = Array(input.utf8).withUnsafeBufferPointer { m in
            signature.withUnsafeMutableBufferPointer {
                gw_jose_es256_sign(pkey, m.baseAddress, m.count, $0.baseAddress)
            }
        }
        guard written == 64 else { return nil }
        return input + "." + Base64URL.encode(signature)
    }

    /// Its public key as a verifier's JWK, for tests and self-checks.
    public func publicKey() throws(JWTError) -> JSONWebKey {
        guard let parsed = JSONValue.parse(Array(publicJWK.utf8)) else { throw .invalidKey("bad JWK") }
        return try JSONWebKey(jwk: parsed)
    }
}
