// Unpredictable bytes from OpenSSL's CSPRNG, for session ids, state, nonces and PKCE verifiers.
import COpenSSL

public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "RAND_bytes failed: the CSPRNG is unavailable")
        return out
    }

    /// `count` random bytes as unpadded base64url (RFC 4648 §5), safe in cookies and URLs.
    public static func token(bytes count: Int) -> String {
        Base64URL.encode(bytes(count))
    }
}
