// A JSON Web Key Set (RFC 7517 §5): the identity provider's current signing keys.

/// The usable signing keys of one JWKS document. Keys we cannot use (encryption keys, other
/// key types or curves) are skipped, not fatal: IdPs publish those next to signing keys.
public struct JWKSet: Sendable {
    public let keys: [JSONWebKey]
    /// How many entries of the document were skipped, for logs.
    public let skippedCount: Int

    public init(keys: [JSONWebKey]) {
        self.keys = keys
        self.skippedCount = 0
    }

    /// Parses `{"keys": [...]}`. Throws when the document is not a key set or holds no usable key.
    public init(json bytes: [UInt8]) throws(JWTError) {
        guard let document = JSONValue.parse(bytes), let entries = document["keys"]?.arrayValue else {
            throw .malformed("a JWKS must be an object with a \"keys\" array")
        }
        var keys: [JSONWebKey] = []
        var skipped = 0
        for entry in entries {
            guard Self.isSigningKey(entry), let key = try? JSONWebKey(jwk: entry) else {
                skipped += 1
                continue
            }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw .invalidKey("the JWKS holds no usable RSA, P-256 or Ed25519 key") }
        self.keys = keys
        self.skippedCount = skipped
    }

    /// Keys whose `kid` is `keyID`.
    public func keys(withID keyID: String) -> [JSONWebKey] {
        keys.filter { $0.keyID == keyID }
    }

    public func contains(keyID: String) -> Bool {
        keys.contains { $0.keyID == keyID }
    }

    /// `use` absent or `sig`, and `key_ops` absent or containing `verify`.
    private static func isSigningKey(_ jwk: JSONValue) -> Bool {
        if let use = jwk["use"], use.stringValue != "sig" { return false }
        if let ops = jwk["key_ops"] {
            guard let list = ops.arrayValue, list.contains(.string("verify")) else { return false }
        }
        return true
    }
}
