// The OpenSSL state for connections to HTTPS upstreams: trust anchors, verification, ALPN.
import COpenSSL
import CTLSShims
import GatewayConfig

/// What a client-mode `TLSStream` verifies against: the system's CA store plus an optional
/// `ca_file`, or nothing at all with `verify: false` (`tls_verify off`). TLS 1.2 and 1.3 only.
/// Immutable after `init` and safe to share between loops.
public final class TLSClientContext: @unchecked Sendable {
    let ctx: OpaquePointer
    let alpn: ALPNProtocols
    /// Whether the upstream's chain and name are checked (`tls_verify`).
    public let verifiesPeer: Bool

    /// - Parameters:
    ///   - caFile: PEM certificates trusted besides the system store (a private CA).
    ///   - verify: false accepts any certificate, for `tls_verify off` only.
    ///   - alpn: protocols offered, in order of preference.
    public init(caFile: String? = nil, verify: Bool = true, alpn: [String] = ["http/1.1"]) throws(TLSError) {
        self.alpn = try ALPNProtocols(alpn)
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError(.invalidSettings, "cannot make a TLS context (\(TLSError.drainOpenSSLReasons()))")
        }
        self.ctx = ctx
        verifiesPeer = verify
        // Every stored property is set: from here a throw runs deinit, which frees ctx.
        gw_tls_ctx_apply_client_options(ctx)
        guard gw_tls_ctx_set_protocol_range(ctx, gw_tls_version_1_2(), gw_tls_version_1_3()) == 1,
            SSL_CTX_set_cipher_list(ctx, ConfigDefaults.tls12Ciphers.joined(separator: ":")) == 1
        else {
            throw TLSError(.invalidSettings, "OpenSSL refused the client policy (\(TLSError.drainOpenSSLReasons()))")
        }
        if verify {
            // Without the system store only ca_file would be trusted; a missing store is not fatal.
            _ = SSL_CTX_set_default_verify_paths(ctx)
            ERR_clear_error()
            if let caFile {
                try TLSCertificateLoader.checkReadable(caFile, kind: "ca_file")
                guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                    throw TLSError(
                        .invalidCertificate, path: caFile,
                        "ca_file \"\(caFile)\" holds no usable PEM certificate (\(TLSError.drainOpenSSLReasons()))")
                }
            }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
    }

    /// From an upstream's `ca_file` and `tls_verify`.
    public convenience init(_ config: UpstreamTLSConfig, alpn: [String] = ["http/1.1"]) throws(TLSError) {
        try self.init(caFile: config.caFile, verify: config.verify, alpn: alpn)
    }

    deinit { SSL_CTX_free(ctx) }
}
