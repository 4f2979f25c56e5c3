// The three parts of a compact JWS (RFC 7515 §7.1), decoded but not yet trusted.
import GatewayCrypto

/// A parsed `header.payload.signature`. Nothing here is verified: see `JWTVerifier`.
public struct CompactJWS: Sendable {
    /// Larger tokens are refused before any decoding (ID tokens are a few KiB).
    public static let maximumLength = 64 * 1024

    public let header: [String: JSONValue]
    /// The header's `alg`, as written.
    public let algorithm: String
    /// The header's `kid`, if any.
    public let keyID: String?
    /// The decoded payload bytes (JSON claims for a JWT).
    public let payload: [UInt8]
    /// The decoded signature bytes; empty for an unsigned token.
    public let signature: [UInt8]
    /// ASCII `header.payload`: what the signature covers.
    public let signingInput: [UInt8]

    public init(_ token: String) throws(JWTError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumLength else { throw .malformed("token is too long") }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected three dot-separated parts") }

        guard let headerBytes = Self.decode(parts[0]),
            let headerJSON = JSONValue.parse(headerBytes), let header = headerJSON.objectValue
        else { throw .malformed("header is not a base64url JSON object") }
        guard let alg = header["alg"]?.stringValue else { throw .malformed("header has no \"alg\" string") }
        let kid: String?
        switch header["kid"] {
        case nil: kid = nil
        case .string(let s)?: kid = s
        default: throw .malformed("\"kid\" must be a string")
        }
        // We implement no extension, so any critical one makes the token unusable (RFC 7515 §4.1.11).
        guard header["crit"] == nil else { throw .malformed("unsupported \"crit\" header") }

        guard let payload = Self.decode(parts[1]), !payload.isEmpty else {
            throw .malformed("payload is not base64url")
        }
        guard let signature = Self.decode(parts[2]) else { throw .malformed("signature is not base64url") }

        self.header = header
        self.algorithm = alg
        self.keyID = kid
        self.payload = payload
        self.signature = signature
        self.signingInput = Array(bytes[..<(parts[0].count + 1 + parts[1].count)])
    }

    /// Strict base64url: no padding, and only the canonical encoding of the bytes, so a token
    /// has exactly one spelling.
    private static func decode(_ part: ArraySlice<UInt8>) -> [UInt8]? {
        let text = String(decoding: part, as: UTF8.self)
        guard !part.contains(UInt8(ascii: "=")), let bytes = Base64URL.decode(text),
            Base64URL.encode(bytes) == text
        else { return nil }
        return bytes
    }
}
