// An `Origin` field value (RFC 6454 §7) parsed into scheme, host and port, so two spellings of
// one origin compare equal and no spelling of another origin does.

public struct HTTPOrigin: Sendable, Hashable {
    public let isHTTPS: Bool
    /// Lowercased; an IPv6 literal keeps its brackets.
    public let host: String
    /// The written port, else 443 for https and 80 for http.
    public let port: Int

    public init(isHTTPS: Bool, host: String, port: Int) {
        self.isHTTPS = isHTTPS
        self.host = host
        self.port = port
    }

    /// `http(s)://host[:port]` and nothing more. `null`, other schemes, userinfo, a path, a
    /// query, a trailing dot or a bad port give nil: such an origin matches nothing.
    public static func parse<C: Collection>(_ value: C) -> HTTPOrigin? where C.Element == UInt8 {
        let bytes = Array(value)
        let lower = bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        let https = Array("https://".utf8)
        let http = Array("http://".utf8)
        let isHTTPS: Bool
        var i: Int
        if lower.starts(with: https) {
            isHTTPS = true
            i = https.count
        } else if lower.starts(with: http) {
            isHTTPS = false
            i = http.count
        } else {
            return nil
        }
        let hostStart = i
        if i < lower.count, lower[i] == UInt8(ascii: "[") {
            while i < lower.count, lower[i] != UInt8(ascii: "]") {
                guard HTTPBytes.isHexDigit(lower[i]) || lower[i] == HTTPBytes.colon || lower[i] == UInt8(ascii: "[")
                    || lower[i] == UInt8(ascii: ".")
                else { return nil }
                i += 1
            }
            guard i < lower.count else { return nil }
            i += 1
        } else {
            while i < lower.count, lower[i] != HTTPBytes.colon {
                let b = lower[i]
                guard HTTPBytes.isDigit(b) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
                else { return nil }
                i += 1
            }
        }
        let hostEnd = i
        guard hostEnd > hostStart, lower[hostEnd - 1] != UInt8(ascii: ".") else { return nil }
        var port = isHTTPS ? 443 : 80
        if i < lower.count {
            guard lower[i] == HTTPBytes.colon else { return nil }
            let digits = lower[(i + 1)...]
            guard (1...5).contains(digits.count), digits.allSatisfy(HTTPBytes.isDigit) else { return nil }
            port = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard (1...65535).contains(port) else { return nil }
        }
        return HTTPOrigin(isHTTPS: isHTTPS, host: String(decoding: lower[hostStart..<hostEnd], as: UTF8.self), port: port)
    }
}
