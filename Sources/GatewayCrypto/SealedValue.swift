// A value the browser carries but can neither read nor change: AES-256-GCM under a key derived
// from cookie_secret, stamped with its creation time so an old one stops opening.

/// `base64url(nonce ‖ ciphertext ‖ tag)`, where the plaintext is `createdAt (8 bytes, big
/// endian) ‖ payload` and the authenticated data is the purpose and the caller's binding (the
/// cookie name), so a value sealed for one use or one cookie does not open as another.
///
/// Thread-safety: immutable; each seal and open uses its own OpenSSL context.
public struct SealedValue: Sendable {
    public static let nonceSize = 12
    public static let tagSize = 16
    /// Bytes the sealing adds around the payload (before base64url).
    public static let overhead = nonceSize + 8 + tagSize
    /// A value stamped this far in the future (clock skew between instances) still opens.
    public static let allowedSkew: Int64 = 60

    private let key: [UInt8]
    private let purpose: [UInt8]
    /// Seconds after `createdAt` when the value stops opening.
    public let maxAge: Int64

    public struct Opened: Sendable, Equatable {
        public var payload: [UInt8]
        public var createdAt: Int64
    }

    /// The key is HMAC-SHA256(secret, "gateway sealed value v1\0" + purpose): one secret in the
    /// config, a distinct AES key per use, and none equal to the session cookie's MAC key.
    public init(secret: String, purpose: String, maxAge: Int64) {
        self.purpose = Array(purpose.utf8)
        key = HMACKey(Array(secret.utf8)).mac(Array("gateway sealed value v1".utf8) + [0] + Array(purpose.utf8))
        self.maxAge = maxAge
    }

    public func seal(_ payload: [UInt8], binding: String = "", now: Int64) -> String {
        let nonce = SecureRandom.bytes(Self.nonceSize)
        var plain = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { plain[i] = UInt8(truncatingIfNeeded: UInt64(bitPattern: now) >> (56 - 8 * UInt64(i))) }
        plain += payload
        guard let sealed = AESGCM.seal(plain, key: key, nonce: nonce, aad: aad(binding)) else {
            preconditionFailure("AES-256-GCM sealing failed in OpenSSL")
        }
        return Base64URL.encode(nonce + sealed)
    }

    /// The payload when the value is intact, made under this key and binding, and not older
    /// than `maxAge` (nor stamped in the future beyond the skew); else nil.
    public func open(_ text: String, binding: String = "", now: Int64) -> Opened? {
        guard let bytes = Base64URL.decode(text), bytes.count >= Self.overhead else { return nil }
        let nonce = Array(bytes[..<Self.nonceSize])
        guard let plain = AESGCM.open(Array(bytes[Self.nonceSize...]), key: key, nonce: nonce, aad: aad(binding)),
            plain.count >= 8
        else { return nil }
        let createdAt = Int64(bitPattern: plain[..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard createdAt <= now + Self.allowedSkew, now - createdAt <= maxAge else { return nil }
        return Opened(payload: Array(plain[8...]), createdAt: createdAt)
    }

    private func aad(_ binding: String) -> [UInt8] {
        purpose + [0] + Array(binding.utf8)
    }
}
