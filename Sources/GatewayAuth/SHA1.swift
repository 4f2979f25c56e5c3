// Plain SHA-1 through OpenSSL: RFC 6455's Sec-WebSocket-Accept needs it (as a checksum, not for security).
import COpenSSL

public enum SHA1 {
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { b in
            EVP_Digest(b.baseAddress, b.count, &digest, &length, EVP_sha1(), nil)
        }
        precondition(ok == 1 && length == 20, "SHA-1 failed in OpenSSL")
        return Array(digest.prefix(20))
    }
}
