// Plain digests through OpenSSL: SHA-256 for PKCE's S256. (RFC 6455's SHA-1 checksum lives in
// GatewayHTTP, so the proxy needs no crypto library.)
import COpenSSL

public enum Digest {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        digest(bytes, EVP_sha256(), size: 32, name: "SHA-256")
    }

    private static func digest(_ bytes: [UInt8], _ md: OpaquePointer?, size: Int, name: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { b in
            EVP_Digest(b.baseAddress, b.count, &digest, &length, md, nil)
        }
        precondition(ok == 1 && length == size, "\(name) failed in OpenSSL")
        return Array(digest.prefix(size))
    }
}
