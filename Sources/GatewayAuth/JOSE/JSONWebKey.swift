// One public signing key from a JWKS (RSA, EC P-256 or Ed25519), held as an OpenSSL EVP_PKEY.
import CCryptoShims
import COpenSSL
import GatewayCrypto

/// A public key that can verify RS256 or PS256 (RSA), ES256 (EC P-256) or EdDSA (Ed25519) signatures.
///
/// Owns its `EVP_PKEY` and frees it in `deinit`. `@unchecked Sendable`: immutable after init,
/// and OpenSSL 3 allows concurrent verification with one key.
public final class JSONWebKey: @unchecked Sendable {
    public enum KeyType: String, Sendable, Hashable {
        case rsa = "RSA"
        case ecP256 = "EC"
        case ed25519 = "OKP"
    }

    /// Whether this OpenSSL build has Ed25519 (OpenSSL 3 always does; checked once).
    public static let supportsEd25519 = gw_jose_has_ed25519() == 1

    /// RSA moduli shorter than this are refused (RFC 7518 §3.3 requires 2048 bits).
    public static let minimumRSABits = 2048
    /// Longer moduli only cost CPU on every verification.
    public static let maximumRSABits = 8192

    public let type: KeyType
    /// `kid`: how a token names its key.
    public let keyID: String?
    /// `alg`: when present, the only algorithm this key may verify.
    public let algorithm: String?
    /// `use`: `sig` or absent for signing keys.
    public let use: String?
    /// The owned `EVP_PKEY *`.
    let pkey: OpaquePointer

    private init(type: KeyType, keyID: String?, algorithm: String?, use: String?, pkey: OpaquePointer) {
        self.type = type
        self.keyID = keyID
        self.algorithm = algorithm
        self.use = use
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// An RSA public key from its big-endian modulus and public exponent.
    public convenience init(
        rsaModulus n: [UInt8], exponent e: [UInt8], keyID: String? = nil, algorithm: String? = nil, use: String? = nil
    ) throws(JWTError) {
        let modulus = Array(n.drop { $0 == 0 })
        let exponent = Array(e.drop { $0 == 0 })
        let bits = modulus.isEmpty ? 0 : modulus.count * 8 - modulus[0].leadingZeroBitCount
        guard bits >= Self.minimumRSABits else { throw .invalidKey("RSA modulus shorter than 2048 bits") }
        guard bits <= Self.maximumRSABits else { throw .invalidKey("RSA modulus longer than 8192 bits") }
        guard !exponent.isEmpty, exponent.count <= 8, exponent.last! & 1 == 1 else {
            throw .invalidKey("RSA exponent is not a small odd number")
        }
        let made = modulus.withUnsafeBufferPointer { m in
            exponent.withUnsafeBufferPointer { x in
                gw_jose_rsa_public_key(m.baseAddress, m.count, x.baseAddress, x.count)
            }
        }
        guard let made else { throw .invalidKey("OpenSSL refused the RSA parameters") }
        self.init(type: .rsa, keyID: keyID, algorithm: algorithm, use: use, pkey: made)
    }

    /// A P-256 public key from its 32-byte affine coordinates; the point must be on the curve.
    public convenience init(
        p256X x: [UInt8], y: [UInt8], keyID: String? = nil, algorithm: String? = nil, use: String? = nil
    ) throws(JWTError) {
        guard x.count == 32, y.count == 32 else { throw .invalidKey("P-256 coordinates must be 32 bytes") }
        let made = x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in gw_jose_ec_p256_public_key(px.baseAddress, 32, py.baseAddress, 32) }
        }
        guard let made else { throw .invalidKey("the point is not a valid P-256 public key") }
        self.init(type: .ecP256, keyID: keyID, algorithm: algorithm, use: use, pkey: made)
    }

    /// An Ed25519 public key from its 32 raw bytes (RFC 8037).
    public convenience init(
        ed25519X x: [UInt8], keyID: String? = nil, algorithm: String? = nil, use: String? = nil
    ) throws(JWTError) {
        guard x.count == 32 else { throw .invalidKey("an Ed25519 key must be 32 bytes") }
        guard let made = x.withUnsafeBufferPointer({ gw_jose_ed25519_public_key($0.baseAddress, 32) }) else {
            throw .invalidKey("OpenSSL refused the Ed25519 key")
        }
        self.init(type: .ed25519, keyID: keyID, algorithm: algorithm, use: use, pkey: made)
    }

    /// One JWK object (RFC 7517): `kty` RSA with `n`/`e`, `kty` EC with `crv` P-256 and `x`/`y`,
    /// or `kty` OKP with `crv` Ed25519 and `x`.
    public convenience init(jwk: JSONValue) throws(JWTError) {
        guard case .object = jwk else { throw .invalidKey("a JWK must be a JSON object") }
        let keyID = try Self.optionalString(jwk, "kid")
        let algorithm = try Self.optionalString(jwk, "alg")
        let use = try Self.optionalString(jwk, "use")
        switch jwk["kty"]?.stringValue {
        case "RSA":
            let n = try Self.base64URLMember(jwk, "n")
            let e = try Self.base64URLMember(jwk, "e")
            try self.init(rsaModulus: n, exponent: e, keyID: keyID, algorithm: algorithm, use: use)
        case "EC":
            guard jwk["crv"]?.stringValue == "P-256" else { throw .invalidKey("only the P-256 curve is supported") }
            let x = try Self.base64URLMember(jwk, "x")
            let y = try Self.base64URLMember(jwk, "y")
            try self.init(p256X: x, y: y, keyID: keyID, algorithm: algorithm, use: use)
        case "OKP":
            guard jwk["crv"]?.stringValue == "Ed25519", Self.supportsEd25519 else {
                throw .invalidKey("only the Ed25519 OKP curve is supported")
            }
            try self.init(ed25519X: try Self.base64URLMember(jwk, "x"), keyID: keyID, algorithm: algorithm, use: use)
        case let kty?:
            throw .invalidKey("key type \"\(kty.prefix(16))\" is not supported")
        case nil:
            throw .invalidKey("\"kty\" is missing")
        }
    }

    /// The JOSE algorithms this key's type verifies: RS256 and PS256 for RSA, ES256 for P-256,
    /// EdDSA for Ed25519.
    public var signatureAlgorithms: Set<String> {
        switch type {
        case .rsa: ["RS256", "PS256"]
        case .ecP256: ["ES256"]
        case .ed25519: ["EdDSA"]
        }
    }

    /// Whether this key may verify a token signed with `alg`: the type fits and any `alg` of
    /// the key agrees. An RSA key is never an HMAC secret.
    public func canVerify(algorithm alg: String) -> Bool {
        signatureAlgorithms.contains(alg) && (algorithm == nil || algorithm == alg)
    }

    private static func optionalString(_ jwk: JSONValue, _ name: String) throws(JWTError) -> String? {
        guard let value = jwk[name] else { return nil }
        guard let s = value.stringValue else { throw .invalidKey("\"\(name)\" must be a string") }
        return s
    }

    private static func base64URLMember(_ jwk: JSONValue, _ name: String) throws(JWTError) -> [UInt8] {
        guard let text = jwk[name]?.stringValue, let bytes = Base64URL.decode(text), !bytes.isEmpty else {
            throw .invalidKey("\"\(name)\" must be a base64url string")
        }
        return bytes
    }
}
