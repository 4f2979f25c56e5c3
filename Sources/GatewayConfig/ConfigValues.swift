// Parsers for the value types directives take: numbers, sizes, durations, hosts, ports, URLs.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum ConfigValues {
    /// Decimal digits only (no sign, no spaces).
    static func integer(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }

    /// `on` or `off`.
    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "on": true
        case "off": false
        default: nil
        }
    }

    /// Bytes, or a number with a 1024-based `k`, `m` or `g` suffix (either case).
    static func size(_ text: String) -> Int? {
        var digits = Substring(text)
        var multiplier = 1
        switch text.last {
        case "k", "K": multiplier = 1 << 10
        case "m", "M": multiplier = 1 << 20
        case "g", "G": multiplier = 1 << 30
        default: break
        }
        if multiplier != 1 { digits = digits.dropLast() }
        guard let value = integer(String(digits)) else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : result
    }

    /// `500ms`, `10s`, `5m`, `2h`, `1d`, or a combination from the largest unit down
    /// (`1h30m`); a bare number means seconds.
    static func duration(_ text: String) -> Duration? {
        if let seconds = integer(text) {
            let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : .milliseconds(ms)
        }
        // (unit, milliseconds), largest first; a unit may follow only a larger one.
        let units: [(String, Int)] = [
            ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
        ]
        let bytes = Array(text.utf8)
        var index = 0
        var total = 0
        var nextUnit = 0
        guard !bytes.isEmpty else { return nil }
        while index < bytes.count {
            let numberStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            guard numberStart < unitStart,
                let number = Int(String(decoding: bytes[numberStart..<unitStart], as: UTF8.self))
            else { return nil }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let position = units.firstIndex(where: { $0.0 == unit }), position >= nextUnit
            else { return nil }
            nextUnit = position + 1
            let (part, overflow1) = number.multipliedReportingOverflow(by: units[position].1)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            if overflow1 || overflow2 { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    // MARK: - Hosts and ports

    enum HostPortError: Error, Equatable {
        case noHost, noPort, invalidPort, malformed
    }

    /// `host:port`, `[v6]:port`, or (when `defaultPort` is given) `host` / `[v6]`. The host is
    /// returned without brackets; `bracketed` says whether it had them.
    static func hostPort(_ text: String, defaultPort: Int? = nil, allowPortZero: Bool = false)
        -> Result<(host: String, port: Int, bracketed: Bool), HostPortError>
    {
        var host: Substring
        var portText: Substring?
        var bracketed = false
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(.malformed) }
            host = text[text.index(after: text.startIndex)..<close]
            bracketed = true
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return .failure(.malformed) }
                portText = rest.dropFirst()
            }
        } else {
            let colons = text.filter { $0 == ":" }.count
            if colons > 1 { return .failure(.malformed) }  // IPv6 needs brackets
            if let colon = text.firstIndex(of: ":") {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                host = Substring(text)
            }
        }
        guard !host.isEmpty else { return .failure(.noHost) }
        let port: Int
        if let portText {
            guard let value = integer(String(portText)),
                (1...65535).contains(value) || (allowPortZero && value == 0)
            else {
                return .failure(.invalidPort)
            }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            return .failure(.noPort)
        }
        return .success((String(host), port, bracketed))
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// A DNS name or numeric IPv4 address: dot-separated labels of letters, digits, `-`, `_`.
    static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty
            && labels.allSatisfy { label in
                !label.isEmpty
                    && label.utf8.allSatisfy {
                        isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-")
                            || $0 == UInt8(ascii: "_")
                    }
            }
    }

    /// `host` as parsed by `hostPort`: a name, IPv4, or (only when bracketed) IPv6.
    static func isValidHost(_ host: String, bracketed: Bool) -> Bool {
        bracketed ? isIPv6(host) : isHostName(host)
    }

    // MARK: - URLs

    /// `http://` or `https://` followed by a valid host (and optional port); the rest is free.
    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@"),
            case .success(let parsed) = hostPort(String(authority), defaultPort: 0)
        else { return false }
        return isValidHost(parsed.host, bracketed: parsed.bracketed)
    }

    // MARK: - Tokens

    /// An HTTP token (RFC 9110 `tchar`): valid as a header name, and as a cookie name.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                isDigit(byte) || isLetter(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
    }

    /// Letters, digits, `-` and `_`: names that go into URLs unescaped.
    static func isSimpleName(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy {
                isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
