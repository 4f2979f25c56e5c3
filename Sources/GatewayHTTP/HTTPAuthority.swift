// Checks `host[:port]` (RFC 3986 §3.2.2-3.2.3) for Host fields, absolute-form and authority-form targets.

enum HTTPAuthority {
    /// An empty range is valid only without `requirePort` (RFC 9112 §3.2 allows an empty Host).
    /// Userinfo ("user@host") is never valid here (RFC 9110 §4.2.4).
    static func isValid(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, requirePort: Bool) -> Bool {
        let end = range.upperBound
        var i = range.lowerBound
        guard i < end else { return !requirePort }
        if buffer[i] == UInt8(ascii: "[") {
            // IP-literal: enough to keep delimiters out; the upstream connector resolves it.
            i &+= 1
            let start = i
            while i < end, buffer[i] != UInt8(ascii: "]") {
                let byte = buffer[i]
                guard HTTPBytes.isHexDigit(byte) || byte == HTTPBytes.colon || byte == UInt8(ascii: ".") else {
                    return false
                }
                i &+= 1
            }
            guard i < end, i > start else { return false }
            i &+= 1
        } else {
            let start = i
            while i < end, buffer[i] != HTTPBytes.colon {
                let byte = buffer[i]
                if byte == UInt8(ascii: "%") {
                    guard i &+ 2 < end, HTTPBytes.isHexDigit(buffer[i &+ 1]), HTTPBytes.isHexDigit(buffer[i &+ 2])
                    else { return false }
                    i &+= 3
                    continue
                }
                guard HTTPBytes.isRegNameChar(byte) else { return false }
                i &+= 1
            }
            guard i > start else { return false }
        }
        if i == end { return !requirePort }
        guard buffer[i] == HTTPBytes.colon else { return false }
        i &+= 1
        let digits = end &- i
        guard digits >= 1, digits <= 5 else { return false }
        while i < end {
            guard HTTPBytes.isDigit(buffer[i]) else { return false }
            i &+= 1
        }
        return true
    }
}
