// A parsed head: one copy of its bytes plus the offsets of every field, looked up without making Strings.

public struct HTTPHeaders: Sendable {
    /// The whole head: the start line through the final CRLF CRLF.
    public let bytes: [UInt8]
    /// The field lines, in order.
    public let fields: [HTTPHeaderField]

    /// For tests and callers that build a head themselves; the offsets must lie inside `bytes`.
    public init(bytes: [UInt8], fields: [HTTPHeaderField]) {
        self.bytes = bytes
        self.fields = fields
    }

    public var count: Int { fields.count }

    public func name(at i: Int) -> ArraySlice<UInt8> { bytes[fields[i].name] }

    public func value(at i: Int) -> ArraySlice<UInt8> { bytes[fields[i].value] }

    /// ASCII case-insensitive comparison of field `i`'s name with an already lowercased name.
    public func nameEquals(at i: Int, _ lowercasedName: StaticString) -> Bool {
        let range = fields[i].name
        return bytes.withUnsafeBytes { HTTPBytes.equalsLowercased($0, range, lowercasedName) }
    }

    public func firstIndex(_ lowercasedName: StaticString) -> Int? {
        bytes.withUnsafeBytes { buffer in
            for i in fields.indices where HTTPBytes.equalsLowercased(buffer, fields[i].name, lowercasedName) {
                return i
            }
            return nil
        }
    }

    public func firstValue(_ lowercasedName: StaticString) -> ArraySlice<UInt8>? {
        firstIndex(lowercasedName).map { value(at: $0) }
    }

    public func firstValueString(_ lowercasedName: StaticString) -> String? {
        firstValue(lowercasedName).map { String(decoding: $0, as: UTF8.self) }
    }

    public func contains(_ lowercasedName: StaticString) -> Bool { firstIndex(lowercasedName) != nil }

    /// Every index whose name matches, in order (e.g. all Set-Cookie fields).
    public func indices(of lowercasedName: StaticString) -> [Int] {
        bytes.withUnsafeBytes { buffer in
            fields.indices.filter { HTTPBytes.equalsLowercased(buffer, fields[$0].name, lowercasedName) }
        }
    }

    /// True for the RFC 9110 hop-by-hop fields (connection, keep-alive, proxy-connection, te, trailer,
    /// transfer-encoding, upgrade, proxy-authenticate, proxy-authorization), http2-settings, and any field named by a
    /// token in `connectionTokens` (lowercased).
    public func isHopByHop(at i: Int, connectionTokens: [[UInt8]]) -> Bool {
        let range = fields[i].name
        return bytes.withUnsafeBytes { buffer in
            if Self.isStandardHopByHop(buffer, range) { return true }
            for token in connectionTokens where HTTPBytes.equalsLowercased(buffer, range, token) {
                return true
            }
            return false
        }
    }

    private static func isStandardHopByHop(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        // Dispatch on length first: most fields fail here without touching their bytes.
        switch range.count {
        case 2: return HTTPBytes.equalsLowercased(buffer, range, "te")
        case 7:
            return HTTPBytes.equalsLowercased(buffer, range, "trailer")
                || HTTPBytes.equalsLowercased(buffer, range, "upgrade")
        case 10:
            return HTTPBytes.equalsLowercased(buffer, range, "connection")
                || HTTPBytes.equalsLowercased(buffer, range, "keep-alive")
        // HTTP2-Settings only means something with an h2c upgrade, which is never forwarded.
        case 14: return HTTPBytes.equalsLowercased(buffer, range, "http2-settings")
        case 16: return HTTPBytes.equalsLowercased(buffer, range, "proxy-connection")
        case 17: return HTTPBytes.equalsLowercased(buffer, range, "transfer-encoding")
        case 18: return HTTPBytes.equalsLowercased(buffer, range, "proxy-authenticate")
        case 19: return HTTPBytes.equalsLowercased(buffer, range, "proxy-authorization")
        default: return false
        }
    }
}
