// A TLS listener's OpenSSL state: one SSL_CTX per certificate, picked by SNI; built once, shared.
import COpenSSL
import CTLSShims
import GatewayConfig

/// Everything a TLS listener needs to accept: certificates chosen by SNI, TLS 1.2 and 1.3 only,
/// the listener's cipher policy (server preference for 1.2), session resumption (tickets sealed
/// with `ticketKeys`, plus a server-side cache for TLS 1.2 clients without tickets) and ALPN.
///
/// Build a new one on reload: a failure throws and leaves the old context serving. Immutable
/// after `init` and safe to share between loops (OpenSSL locks its own shared state); each
/// `TLSStream` keeps its context alive.
public final class TLSServerContext: @unchecked Sendable {
    /// The default server-side session cache, in sessions.
    public static let defaultSessionCacheSize = 20_480

    /// One per certificate pair, in config order; the first is the default and holds the
    /// session cache (OpenSSL keeps sessions on the context a handshake started with).
    private let contexts: [OpaquePointer]
    private let names: TLSNameTable
    let alpn: ALPNProtocols
    /// The DNS names each certificate answers for, in config order (for logs and tests).
    public let certificateNames: [[String]]
    public let ticketKeys: TLSTicketKeys
    public let config: ListenerTLSConfig

    /// - Parameters:
    ///   - alpn: protocols in order of preference; a client offering none of them is refused
    ///     (`no_application_protocol`), one offering no ALPN at all gets HTTP/1.1 anyway.
    ///   - ticketKeys: pass the old context's ring on reload so tickets keep resuming.
    public init(
        _ config: ListenerTLSConfig, alpn: [String] = ["http/1.1"], ticketKeys: TLSTicketKeys? = nil,
        sessionCacheSize: Int = TLSServerContext.defaultSessionCacheSize
    ) throws(TLSError) {
        guard !config.certificates.isEmpty else {
            throw TLSError(.invalidSettings, "a TLS listener needs at least one certificate")
        }
        self.config = config
        self.alpn = try ALPNProtocols(alpn)
        let keys: TLSTicketKeys
        if let ticketKeys { keys = ticketKeys } else { keys = try TLSTicketKeys() }
        self.ticketKeys = keys
        var contexts: [OpaquePointer] = []
        var names: [[String]] = []
        do throws(TLSError) {
            for files in config.certificates {
                guard let ctx = SSL_CTX_new(TLS_server_method()) else {
                    throw TLSError(.invalidSettings, "cannot make a TLS context (\(TLSError.drainOpenSSLReasons()))")
                }
                contexts.append(ctx)
                try Self.applyPolicy(config, keys: keys, sessionCacheSize: sessionCacheSize, to: ctx)
                names.append(try TLSCertificateLoader.load(files, into: ctx))
            }
        } catch {
            contexts.forEach { SSL_CTX_free($0) }
            throw error
        }
        self.contexts = contexts
        self.certificateNames = names
        self.names = TLSNameTable(names: names)
        // The callbacks find this object through an unretained pointer: every SSL made from these
        // contexts belongs to a TLSStream, which retains the context.
        let me = Unmanaged.passUnretained(self).toOpaque()
        for ctx in contexts {
            gw_tls_ctx_set_servername_callback(ctx, Self.serverNameCallback, me)
            SSL_CTX_set_alpn_select_cb(ctx, Self.alpnCallback, me)
        }
    }

    /// A context for `config` (the reloaded files) with this one's ALPN list and ticket keys, so
    /// sessions keep resuming across the reload. Throws, naming the file, and leaves this one as it is.
    public func reloading(_ config: ListenerTLSConfig) throws(TLSError) -> TLSServerContext {
        try TLSServerContext(config, alpn: alpn.names, ticketKeys: ticketKeys)
    }

    deinit { contexts.forEach { SSL_CTX_free($0) } }

    /// The context a handshake starts on (the first certificate's).
    var defaultContext: OpaquePointer { contexts[0] }

    /// Index of the certificate served for `serverName` (0, the default, when none names it).
    public func certificateIndex(for serverName: String?) -> Int {
        serverName.flatMap { names.index(for: $0) } ?? 0
    }

    // MARK: - Set-up

    private static func applyPolicy(
        _ config: ListenerTLSConfig, keys: TLSTicketKeys, sessionCacheSize: Int, to ctx: OpaquePointer
    ) throws(TLSError) {
        gw_tls_ctx_apply_server_options(ctx)
        guard gw_tls_ctx_set_protocol_range(ctx, version(config.minimumVersion), version(config.maximumVersion)) == 1
        else {
            throw TLSError(.invalidSettings, "OpenSSL refused the protocol range (\(TLSError.drainOpenSSLReasons()))")
        }
        // An empty TLS 1.2 list would make OpenSSL fail every 1.2 handshake; the validator forbids it.
        guard SSL_CTX_set_cipher_list(ctx, config.ciphers.joined(separator: ":")) == 1,
            SSL_CTX_set_ciphersuites(ctx, config.cipherSuites.joined(separator: ":")) == 1
        else {
            throw TLSError(.invalidSettings, "OpenSSL refused the cipher list (\(TLSError.drainOpenSSLReasons()))")
        }
        let lifetime = Int(keys.rotationInterval.components.seconds)
        gw_tls_ctx_set_session_cache(ctx, sessionCacheSize, lifetime)
        let sessionContext: [UInt8] = Array("gateway".utf8)
        guard SSL_CTX_set_session_id_context(ctx, sessionContext, UInt32(sessionContext.count)) == 1,
            gw_tls_ctx_use_ticket_keys(ctx, keys.ring) == 1
        else {
            throw TLSError(.invalidSettings, "cannot set up session resumption (\(TLSError.drainOpenSSLReasons()))")
        }
    }

    static func version(_ version: TLSProtocolVersion) -> Int32 {
        switch version {
        case .tls12: gw_tls_version_1_2()
        case .tls13: gw_tls_version_1_3()
        }
    }

    // MARK: - Callbacks (on the loop doing the handshake)

    /// SNI: moves the handshake to the context whose certificate names the host, if not the default.
    private static let serverNameCallback: gw_tls_servername_cb = { ssl, _, arg in
        guard let ssl, let arg, let raw = SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)) else {
            return gw_tls_err_ok()
        }
        let server = Unmanaged<TLSServerContext>.fromOpaque(arg).takeUnretainedValue()
        let chosen = server.contexts[server.certificateIndex(for: String(cString: raw))]
        if chosen != SSL_get_SSL_CTX(ssl) { _ = SSL_set_SSL_CTX(ssl, chosen) }
        return gw_tls_err_ok()
    }

    /// ALPN: our first preference the client offers; none in common ends the handshake.
    private static let alpnCallback:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
            UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
        ) -> Int32 = { _, out, outLength, offered, offeredLength, arg in
            guard let out, let outLength, let offered, let arg else { return gw_tls_err_alert_fatal() }
            let server = Unmanaged<TLSServerContext>.fromOpaque(arg).takeUnretainedValue()
            let list = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
            guard let (offset, count) = server.alpn.select(fromClient: list) else { return gw_tls_err_alert_fatal() }
            // OpenSSL copies the choice before the client's list goes away.
            out.pointee = offered + offset
            outLength.pointee = UInt8(count)
            return gw_tls_err_ok()
        }
}
