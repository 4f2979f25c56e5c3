// What a TLSStream's handshake agreed on: version, cipher, ALPN, SNI, resumption.
import COpenSSL
import GatewayConfig

extension TLSStream {
    /// The negotiated version; nil until the handshake is complete.
    public var protocolVersion: TLSProtocolVersion? {
        guard isHandshakeComplete else { return nil }
        switch SSL_version(ssl) {
        case TLS1_3_VERSION: return .tls13
        case TLS1_2_VERSION: return .tls12
        default: return nil
        }
    }

    /// OpenSSL's name of the negotiated suite (`TLS_AES_256_GCM_SHA384`, `ECDHE-RSA-AES128-GCM-SHA256`).
    public var cipher: String? {
        guard isHandshakeComplete, let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher)
        else { return nil }
        return String(cString: name)
    }

    /// The protocol ALPN selected (`http/1.1`), or nil when the client offered no ALPN.
    public var alpnProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The SNI host name: the one the client sent (server side) or the one we send (client side).
    public var serverName: String? {
        guard let name = SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)) else { return nil }
        return String(cString: name)
    }

    /// Whether the handshake resumed an earlier session (ticket or cache) instead of a full one.
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }
}
