// Tells, from a connection's first bytes on a TLS port, a TLS ClientHello from plain HTTP.

/// A look at the first bytes a client sent to a TLS port, so a plain `http://` request can get a
/// clear 400 (`plaintextHTTPResponse`) instead of a handshake that hangs or fails without a word.
/// Pure bytes: the caller peeks (`recv(MSG_PEEK)`) or keeps what it read.
public enum PlaintextProbe {
    public enum Verdict: Sendable, Equatable {
        /// A TLS handshake record whose first message is a ClientHello: start TLS.
        case tlsClientHello
        /// A request line's start (`GET `, `POST `, ...): answer `plaintextHTTPResponse`, close.
        case plaintextHTTP
        /// Too few bytes to tell; read more (the ClientHello's first six bytes, or a method).
        case needMore
        /// Neither: an SSL 2 hello, another protocol or noise. Close.
        case unknown
    }

    /// The longest method name that still counts as plain HTTP (`OPTIONS`, `CONNECT`, `PROPFIND`...).
    static let maximumMethodLength = 16

    public static func classify(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        guard let first = bytes.first else { return .needMore }
        if first == 0x16 { return classifyRecord(bytes) }
        return classifyRequestLine(bytes)
    }

    public static func classify(_ bytes: [UInt8]) -> Verdict {
        bytes.withUnsafeBytes { classify($0) }
    }

    /// What the gateway answers a plaintext request on a TLS port, then closes.
    public static let plaintextHTTPResponse: [UInt8] = {
        let body = "This port speaks HTTPS: the request was sent as plain HTTP. Use an https:// URL.\n"
        let head =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }()

    /// TLSPlaintext: type 22 (handshake), version 3.x, a length, then handshake type 1 (ClientHello).
    private static func classifyRecord(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        if bytes.count < 2 { return .needMore }
        guard bytes[1] == 0x03 else { return .unknown }
        if bytes.count < 3 { return .needMore }
        guard bytes[2] <= 0x04 else { return .unknown }
        if bytes.count < 5 { return .needMore }
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        // RFC 8446 §5.1: a record holds at most 2^14 bytes; a handshake record is never empty.
        guard length > 0, length <= 16_384 else { return .unknown }
        if bytes.count < 6 { return .needMore }
        return bytes[5] == 0x01 ? .tlsClientHello : .unknown
    }

    /// A method (uppercase letters, `-` or `_`, as methods in use are) followed by a space.
    private static func classifyRequestLine(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        for (index, byte) in bytes.enumerated() {
            if index > maximumMethodLength { return .unknown }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"), UInt8(ascii: "_"): continue
            case UInt8(ascii: " ") where index > 0: return .plaintextHTTP
            default: return .unknown
            }
        }
        return .needMore
    }
}
