// One-shot HMACs and the constant-time comparison, for signed cookies, state and provider proofs.
import COpenSSL

public enum MessageAuthentication {
    /// HMAC-SHA256 of `message` under `key`. A key used for many messages is an `HMACKey`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        HMACKey(key, algorithm: .sha256).mac(message)
    }

    /// HMAC-SHA1 of `message` under `key`, for protocols that require it (OAuth 1.0a).
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        HMACKey(key, algorithm: .sha1).mac(message)
    }

    /// Compares two byte strings in time that depends only on their lengths (CRYPTO_memcmp).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 }
        }
    }
}
