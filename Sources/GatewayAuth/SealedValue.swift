// A value the browser carries but can neither read nor change: AES-256-GCM under a key derived
// from cookie_secret, stamped with its creation time so an old one stops opening.
import COpenSSL

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

/// AES-256-GCM on OpenSSL's EVP interface (every call here is a plain C function).
enum AESGCM {
    /// `ciphertext ‖ tag`, or nil if OpenSSL fails.
    static func seal(_ plain: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard let ctx = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plain.count + SealedValue.tagSize)
        var length: Int32 = 0
        var ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1
        ok = ok && EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1
        ok =
            ok
            && out.withUnsafeMutableBufferPointer { o in
                EVP_EncryptUpdate(ctx, o.baseAddress, &length, plain, Int32(plain.count)) == 1
                    && length == Int32(plain.count)
                    && EVP_EncryptFinal_ex(ctx, o.baseAddress! + plain.count, &length) == 1
                    && EVP_CIPHER_CTX_ctrl(
                        ctx, EVP_CTRL_GCM_GET_TAG, Int32(SealedValue.tagSize), o.baseAddress! + plain.count) == 1
            }
        return ok ? out : nil
    }

    /// The plaintext when the tag verifies, else nil.
    static func open(_ sealed: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard sealed.count >= SealedValue.tagSize, let ctx = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let count = sealed.count - SealedValue.tagSize
        var tag = Array(sealed[count...])
        var out = [UInt8](repeating: 0, count: count + SealedValue.tagSize)
        var length: Int32 = 0
        var final: Int32 = 0
        var ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1
        ok = ok && EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1
        ok =
            ok
            && out.withUnsafeMutableBufferPointer { o in
                sealed.withUnsafeBufferPointer { s in
                    EVP_DecryptUpdate(ctx, o.baseAddress, &length, s.baseAddress, Int32(count)) == 1
                } && length == Int32(count)
                    && tag.withUnsafeMutableBytes {
                        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(SealedValue.tagSize), $0.baseAddress) == 1
                    }
                    // Checks the tag: a changed byte anywhere fails here (GCM writes nothing more).
                    && EVP_DecryptFinal_ex(ctx, o.baseAddress! + count, &final) == 1
            }
        return ok ? Array(out[..<count]) : nil
    }
}
