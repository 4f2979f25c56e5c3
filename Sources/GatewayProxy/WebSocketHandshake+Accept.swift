// The Sec-WebSocket-Accept a genuine WebSocket server answers a handshake with (RFC 6455 §4.2.2).
import GatewayCrypto
import GatewayHTTP

extension WebSocketHandshake {
    /// base64(SHA-1(key + GUID)): an upstream that answers 101 without it never read the key.
    var expectedAccept: [UInt8] { Base64.encode(Digest.sha1(acceptInput)) }
}
