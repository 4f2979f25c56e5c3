// Loads one cert=/key= pair into an SSL_CTX, with a clear error naming the file for each failure.
import COpenSSL
import CTLSShims
import GatewayConfig

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads a PEM certificate chain and its private key, and refuses what could not be served.
enum TLSCertificateLoader {
    /// Installs `files` in `ctx` and returns the leaf's DNS names (SAN, else the subject CN).
    ///
    /// Fails, naming the file, when a file cannot be read, holds nothing usable, the key is
    /// encrypted (there is no one to type a passphrase) or is not the certificate's, or the
    /// certificate has expired.
    static func load(_ files: TLSFiles, into ctx: OpaquePointer) throws(TLSError) -> [String] {
        let certPath = files.certificatePath
        let keyPath = files.keyPath
        try checkReadable(certPath, kind: "certificate")
        try checkReadable(keyPath, kind: "key")
        ERR_clear_error()
        guard SSL_CTX_use_certificate_chain_file(ctx, certPath) == 1, let leaf = SSL_CTX_get0_certificate(ctx)
        else {
            throw TLSError(
                .invalidCertificate, path: certPath,
                "certificate \"\(certPath)\" holds no usable PEM certificate (\(TLSError.drainOpenSSLReasons()))")
        }
        if gw_tls_x509_is_expired(leaf) == 1 {
            throw TLSError(
                .expiredCertificate, path: certPath,
                "certificate \"\(certPath)\" expired on \(notAfter(leaf))")
        }
        let key = try privateKey(keyPath)
        defer { EVP_PKEY_free(key) }
        guard X509_check_private_key(leaf, key) == 1 else {
            ERR_clear_error()
            throw TLSError(
                .keyMismatch, path: keyPath, "key \"\(keyPath)\" does not match certificate \"\(certPath)\"")
        }
        guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            throw TLSError(
                .invalidKey, path: keyPath,
                "key \"\(keyPath)\" cannot be used (\(TLSError.drainOpenSSLReasons()))")
        }
        return dnsNames(leaf)
    }

    /// The file's key; the password callback answers "none", so an encrypted key fails at once.
    private static func privateKey(_ path: String) throws(TLSError) -> OpaquePointer {
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError(
                .unreadableFile, path: path, "key \"\(path)\" cannot be read (\(TLSError.drainOpenSSLReasons()))")
        }
        defer { BIO_free(bio) }
        let noPassphrase:
            @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) ->
                Int32 = { _, _, _, _ in 0 }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, noPassphrase, nil) else {
            throw TLSError(
                .invalidKey, path: path,
                "key \"\(path)\" holds no usable PEM private key; encrypted keys are not supported "
                    + "(\(TLSError.drainOpenSSLReasons()))")
        }
        return key
    }

    /// Throws `.unreadableFile` with the system's reason, before OpenSSL gives a vaguer one.
    static func checkReadable(_ path: String, kind: String) throws(TLSError) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw TLSError(.unreadableFile, path: path, "\(kind) \"\(path)\" cannot be read: is a directory")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TLSError(.unreadableFile, path: path, "\(kind) \"\(path)\" cannot be read: \(reason)")
        }
        close(fd)
    }

    static func dnsNames(_ cert: OpaquePointer) -> [String] {
        let needed = gw_tls_x509_dns_names(cert, nil, 0)
        guard needed > 0 else { return [] }
        var buffer = [CChar](repeating: 0, count: needed)
        _ = gw_tls_x509_dns_names(cert, &buffer, needed)
        return buffer.split(separator: 0, omittingEmptySubsequences: true).map {
            String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    private static func notAfter(_ cert: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = gw_tls_x509_not_after(cert, &buffer, buffer.count)
        guard count > 0 else { return "an unknown date" }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
