// What the framing and connection rules need from a head's fields, gathered one field line at a time.

struct HTTPMessageFields: Sendable {
    var contentLength: UInt64?
    var sawTransferEncoding = false
    var hostCount = 0
    var host: [UInt8]?
    /// Lowercased, except `keep-alive` (its field is always hop-by-hop; `connectionKeepAlive`).
    var connectionTokens: [[UInt8]] = []
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    /// An Upgrade field asks for websocket: the one protocol the gateway tunnels.
    var sawWebSocketUpgrade = false
    var expectsContinue = false

    /// Checks the fields whose grammar matters to framing or routing; the rest pass through as is.
    /// `lineEnd` is where the field line ends (before its CRLF): `value` is trimmed, the framing fields
    /// also look at what the trimming dropped.
    mutating func observe(
        _ buffer: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>, lineEnd: Int, isRequest: Bool
    ) throws(HTTPParseError) {
        // Dispatch on length first: most fields fail here without touching their bytes.
        switch name.count {
        case 4 where isRequest && HTTPBytes.equalsLowercased(buffer, name, "host"):
            hostCount &+= 1
            guard hostCount == 1 else { throw .duplicateHost }
            guard HTTPAuthority.isValid(buffer, value, requirePort: false) else { throw .invalidHost }
            host = Array(UnsafeRawBufferPointer(rebasing: buffer[value]))
        case 6 where isRequest && HTTPBytes.equalsLowercased(buffer, name, "expect"):
            if HTTPBytes.equalsLowercased(buffer, value, "100-continue") { expectsContinue = true }
        case 7 where HTTPBytes.equalsLowercased(buffer, name, "upgrade"):
            if HTTPBytes.equalsLowercased(buffer, value, "websocket") { sawWebSocketUpgrade = true }
        case 10 where HTTPBytes.equalsLowercased(buffer, name, "connection"):
            try observeConnection(buffer, value)
        case 14 where HTTPBytes.equalsLowercased(buffer, name, "content-length"):
            // llhttp (Node) refuses an HTAB after a framing value, though it is OWS: refuse it too, so
            // no hop behind us reads a framing we accepted as invalid.
            guard !Self.hasTrailingTab(buffer, value, lineEnd) else { throw .invalidContentLength }
            try observeContentLength(buffer, value)
        case 17 where HTTPBytes.equalsLowercased(buffer, name, "transfer-encoding"):
            // Only a single "chunked" has one meaning to every hop (RFC 9112 §6.1, §6.3).
            guard !sawTransferEncoding, HTTPBytes.equalsLowercased(buffer, value, "chunked"),
                !Self.hasTrailingTab(buffer, value, lineEnd)
            else {
                throw .unsupportedTransferEncoding
            }
            sawTransferEncoding = true
        default:
            break
        }
    }

    private static func hasTrailingTab(_ buffer: UnsafeRawBufferPointer, _ value: Range<Int>, _ lineEnd: Int) -> Bool {
        buffer[value.upperBound..<lineEnd].contains(HTTPBytes.htab)
    }

    private mutating func observeContentLength(_ buffer: UnsafeRawBufferPointer, _ value: Range<Int>)
        throws(HTTPParseError)
    {
        // Even equal duplicates are refused: agreeing with every other parser is the only safe choice.
        guard contentLength == nil else { throw .duplicateContentLength }
        guard !value.isEmpty, value.count <= 18 else {
            throw buffer[value].contains(HTTPBytes.comma) ? .duplicateContentLength : .invalidContentLength
        }
        var length: UInt64 = 0
        for i in value {
            let byte = buffer[i]
            guard HTTPBytes.isDigit(byte) else {
                throw buffer[value].contains(HTTPBytes.comma) ? .duplicateContentLength : .invalidContentLength
            }
            length = length &* 10 &+ UInt64(byte &- 0x30)
        }
        contentLength = length
    }

    /// `Connection = #connection-option`: a comma list of tokens, empty elements allowed.
    private mutating func observeConnection(_ buffer: UnsafeRawBufferPointer, _ value: Range<Int>)
        throws(HTTPParseError)
    {
        var i = value.lowerBound
        let end = value.upperBound
        while i < end {
            while i < end, HTTPBytes.isWhitespace(buffer[i]) || buffer[i] == HTTPBytes.comma { i &+= 1 }
            let start = i
            while i < end, HTTPBytes.isTokenChar(buffer[i]) { i &+= 1 }
            let token = start..<i
            while i < end, HTTPBytes.isWhitespace(buffer[i]) { i &+= 1 }
            guard i == end || buffer[i] == HTTPBytes.comma else { throw .invalidHeaderValue }
            if token.isEmpty { continue }
            if HTTPBytes.equalsLowercased(buffer, token, "close") {
                connectionClose = true
            } else if HTTPBytes.equalsLowercased(buffer, token, "keep-alive") {
                // Names the Keep-Alive field, which is hop-by-hop whatever Connection says: no
                // token to keep (nor to allocate, on nearly every response from an upstream).
                connectionKeepAlive = true
                continue
            } else if HTTPBytes.equalsLowercased(buffer, token, "upgrade") {
                connectionUpgrade = true
            }
            var lowered = [UInt8](repeating: 0, count: token.count)
            for (k, j) in token.enumerated() { lowered[k] = HTTPBytes.lowercased(buffer[j]) }
            connectionTokens.append(lowered)
        }
    }

    /// RFC 9112 §9.3: persistence is the default in 1.1 and opt-in in 1.0.
    func keepAlive(_ version: HTTPVersion) -> Bool {
        if connectionClose { return false }
        return version.minor >= 1 || connectionKeepAlive
    }
}
