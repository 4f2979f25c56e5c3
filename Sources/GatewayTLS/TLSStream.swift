// One TLS connection over a caller's non-blocking socket: the handshake runs inside read and write.
import COpenSSL
import CTLSShims
import GatewayConfig

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// TLS over a socket the caller owns, made non-blocking and watched by the caller's loop.
///
/// Nothing here blocks or waits: every call does what the socket allows now and says what it
/// needs next (`TLSIOResult`). The handshake advances inside `read`, `write` and `handshake`,
/// whichever is called first. After `.wantWrite` from `write`, call `write` again with the same
/// bytes (at least as many; they may have moved). The stream never closes the descriptor; the
/// caller closes it after `shutdown()` (or at once after `.failed`). Writes raise SIGPIPE on a
/// reset socket unless the process ignores it (the gateway does).
///
/// One stream belongs to one connection and is touched only on that connection's loop.
public final class TLSStream: @unchecked Sendable {
    let ssl: OpaquePointer
    /// Keeps the context (and the object its callbacks point at) alive as long as the SSL.
    private let context: AnyObject
    public let isServer: Bool
    /// After a fatal error OpenSSL must not send close_notify.
    private var hasFailed = false
    private var shutdownSent = false

    /// A stream on `ctx` over `fd`; `owner` is the Swift context that owns `ctx`.
    private init(_ ctx: OpaquePointer, owner: AnyObject, fd: Int32, isServer: Bool) throws(TLSError) {
        guard let ssl = SSL_new(ctx) else {
            throw TLSError(.invalidSettings, "cannot make a TLS stream (\(TLSError.drainOpenSSLReasons()))")
        }
        self.ssl = ssl
        self.context = owner
        self.isServer = isServer
        // Every stored property is set: from here a throw runs deinit, which frees the SSL.
        if isServer { SSL_set_accept_state(ssl) } else { SSL_set_connect_state(ssl) }
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw TLSError(.invalidSettings, "cannot attach TLS to the socket (\(TLSError.drainOpenSSLReasons()))")
        }
    }

    /// Server side of a socket `accept` returned, on the listener's context.
    public convenience init(accepting fd: Int32, context: TLSServerContext) throws(TLSError) {
        try self.init(context.defaultContext, owner: context, fd: fd, isServer: true)
    }

    /// Client side of a connected socket to an HTTPS upstream. `serverName` (the host as
    /// configured) is sent as SNI, unless it is an IP address, and the certificate must name it
    /// when the context verifies.
    public convenience init(connecting fd: Int32, context: TLSClientContext, serverName: String) throws(TLSError) {
        try self.init(context.ctx, owner: context, fd: fd, isServer: false)
        let isAddress = Self.isIPAddress(serverName)
        var ok = context.alpn.wire.withUnsafeBufferPointer {
            SSL_set_alpn_protos(ssl, $0.baseAddress, UInt32($0.count)) == 0
        }
        if !isAddress { ok = ok && gw_tls_set_sni(ssl, serverName) == 1 }
        if context.verifiesPeer {
            ok =
                ok
                && (isAddress
                    ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1
                    : SSL_set1_host(ssl, serverName) == 1)
        }
        guard ok else {
            throw TLSError(
                .invalidSettings, "cannot set server name \"\(serverName)\" (\(TLSError.drainOpenSSLReasons()))")
        }
    }

    deinit { SSL_free(ssl) }

    // MARK: - I/O

    /// Advances the handshake; `.bytes(0)` once it is complete (then it does nothing).
    public func handshake() -> TLSIOResult {
        if SSL_is_init_finished(ssl) == 1 { return .bytes(0) }
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        return result == 1 ? .bytes(0) : outcome(of: result)
    }

    /// Reads decrypted bytes into `buffer`. More may be buffered inside OpenSSL than the socket
    /// shows: after `.bytes`, call again while `hasBufferedInput` (or until `.wantRead`).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_read_ex(ssl, base, buffer.count, &count)
        return result == 1 ? .bytes(count) : outcome(of: result)
    }

    /// Encrypts and sends from `bytes`; `.bytes(n)` may be fewer than given (one record or more).
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSIOResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(ssl, base, bytes.count, &count)
        return result == 1 ? .bytes(count) : outcome(of: result)
    }

    /// Sends close_notify without waiting for the peer's: `.bytes(0)` once it is out (close the
    /// socket then), `.wantWrite` to call again when writable. After a failure, or before the
    /// handshake finished, there is nothing to send and it returns `.bytes(0)` at once.
    public func shutdown() -> TLSIOResult {
        if shutdownSent || hasFailed || SSL_is_init_finished(ssl) != 1 { return .bytes(0) }
        ERR_clear_error()
        let result = SSL_shutdown(ssl)
        // 0: ours is sent and the peer's has not come (we do not wait for it); 1: both done.
        if result >= 0 {
            shutdownSent = true
            return .bytes(0)
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_WANT_READ: return .wantRead
        default:
            hasFailed = true
            ERR_clear_error()
            return .bytes(0)
        }
    }

    /// Whether OpenSSL holds decrypted or undecrypted bytes the socket no longer shows as readable.
    public var hasBufferedInput: Bool { SSL_has_pending(ssl) == 1 }

    public var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    // MARK: - Errors

    /// Maps a failed call's result; reads errno and the error queue before anything else can.
    private func outcome(of result: Int32) -> TLSIOResult {
        let systemError = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            hasFailed = true
            let reasons = ERR_peek_error() == 0 ? nil : TLSError.drainOpenSSLReasons()
            if let reasons { return .failed(reasons) }
            if systemError == 0 || systemError == EAGAIN { return peerClosed() }
            return .failed(String(cString: strerror(systemError)))
        case SSL_ERROR_SSL:
            hasFailed = true
            if gw_tls_error_is_unexpected_eof(ERR_peek_error()) == 1 {
                ERR_clear_error()
                return peerClosed()
            }
            var message = TLSError.drainOpenSSLReasons()
            let verify = SSL_get_verify_result(ssl)
            if !isServer, verify != X509_V_OK {
                message += ": " + String(cString: X509_verify_cert_error_string(verify))
            }
            return .failed(message)
        default:
            hasFailed = true
            return .failed("OpenSSL error \(code) (\(TLSError.drainOpenSSLReasons()))")
        }
    }

    /// EOF without close_notify: the end of the stream once it has started, else a failure.
    private func peerClosed() -> TLSIOResult {
        isHandshakeComplete ? .closed : .failed("the peer closed the connection during the handshake")
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
