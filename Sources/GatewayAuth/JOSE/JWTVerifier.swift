// Compact JWS signature verification with OpenSSL's EVP_DigestVerify, from an allow-list.
import CCryptoShims
import COpenSSL

/// Checks a JWS signature against a key set. The algorithm comes from an allow-list, never
/// from trusting the header: `none`, every HS* (an RSA public key is not an HMAC secret), and
/// everything else is refused before a key is looked at.
public enum JWTVerifier {
    /// ID tokens: what OIDC providers sign with.
    public static let allowedAlgorithms: Set<String> = ["RS256", "ES256"]
    /// Bearer and logout tokens: also PS256, and EdDSA where OpenSSL has Ed25519.
    public static let tokenAlgorithms: Set<String> =
        JSONWebKey.supportsEd25519 ? ["RS256", "PS256", "ES256", "EdDSA"] : ["RS256", "PS256", "ES256"]

    /// Verifies `token` and returns its claims.
    public static func verify(_ token: String, keys: JWKSet) throws(JWTError) -> JWTClaims {
        try verify(CompactJWS(token), keys: keys)
    }

    /// Verifies a parsed JWS and returns its claims (the payload must be a JSON object).
    /// `allowed` never holds `none` or an HS* algorithm.
    public static func verify(
        _ jws: CompactJWS, keys: JWKSet, allowed: Set<String> = allowedAlgorithms
    ) throws(JWTError) -> JWTClaims {
        let alg = jws.algorithm
        guard allowed.contains(alg) else { throw .algorithmNotAllowed(alg) }

        let candidates: [JSONWebKey]
        if let kid = jws.keyID {
            let named = keys.keys(withID: kid)
            guard !named.isEmpty else { throw .unknownKeyID(kid) }
            candidates = named.filter { $0.canVerify(algorithm: alg) }
            guard !candidates.isEmpty else { throw .keyAlgorithmMismatch }
        } else {
            // Without a kid, try each key that fits the algorithm (a JWKS holds a handful).
            candidates = keys.keys.filter { $0.canVerify(algorithm: alg) }
            guard !candidates.isEmpty else { throw .unknownKeyID(nil) }
        }

        guard candidates.contains(where: { signatureVerifies(jws, with: $0) }) else { throw .invalidSignature }
        guard let claims = JSONValue.parse(jws.payload)?.objectValue else {
            throw .malformed("payload is not a JSON object")
        }
        return JWTClaims(claims)
    }

    static func signatureVerifies(_ jws: CompactJWS, with key: JSONWebKey) -> Bool {
        switch key.type {
        case .rsa where jws.algorithm == "PS256":
            return schemeVerify(key: key.pkey, scheme: GW_JOSE_PS256, jws: jws)
        case .ed25519:
            return schemeVerify(key: key.pkey, scheme: GW_JOSE_EDDSA, jws: jws)
        case .rsa:
            return digestVerify(key: key.pkey, message: jws.signingInput, signature: jws.signature)
        case .ecP256:
            // JOSE sends r || s (32 bytes each); EVP wants a DER ECDSA-Sig-Value.
            guard jws.signature.count == 64 else { return false }
            var der = [UInt8](repeating: 0, count: 80)
            let length = jws.signature.withUnsafeBufferPointer { raw in
                der.withUnsafeMutableBufferPointer { out in
                    gw_jose_ecdsa_raw_to_der(raw.baseAddress, raw.count, out.baseAddress, out.count)
                }
            }
            guard length > 0 else { return false }
            return digestVerify(key: key.pkey, message: jws.signingInput, signature: Array(der.prefix(Int(length))))
        }
    }

    private static func schemeVerify(key: OpaquePointer, scheme: Int32, jws: CompactJWS) -> Bool {
        jws.signingInput.withUnsafeBufferPointer { m in
            jws.signature.withUnsafeBufferPointer { s in
                gw_jose_verify(key, scheme, m.baseAddress, m.count, s.baseAddress, s.count) == 1
            }
        }
    }

    /// SHA-256 then the key's own scheme: PKCS #1 v1.5 for RSA, ECDSA for EC.
    private static func digestVerify(key: OpaquePointer, message: [UInt8], signature: [UInt8]) -> Bool {
        guard !signature.isEmpty, let ctx = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(ctx)
            // Leave nothing on this thread's error queue for the next TLS call to trip over.
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(ctx, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let result = message.withUnsafeBufferPointer { m in
            signature.withUnsafeBufferPointer { s in
                EVP_DigestVerify(ctx, s.baseAddress, s.count, m.baseAddress, m.count)
            }
        }
        return result == 1
    }
}
