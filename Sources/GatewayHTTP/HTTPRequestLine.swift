// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3) and splits the target by form.

struct HTTPRequestLine: Sendable {
    /// Offsets relative to the start of the head.
    var method: Range<Int>
    var target: Range<Int>
    var methodKind: HTTPMethodKind
    var version: HTTPVersion
    var path: [UInt8]
    var absoluteFormAuthority: [UInt8]?

    /// `line` excludes its CRLF; `headStart` is subtracted from the stored offsets.
    init(_ buffer: UnsafeRawBufferPointer, _ line: Range<Int>, headStart: Int) throws(HTTPParseError) {
        // HTAB is the one control the scanner lets through; name it rather than blame the layout.
        var malformed: HTTPParseError {
            buffer[line].contains(HTTPBytes.htab) ? .controlCharacterInHead : .invalidRequestLine
        }
        guard let firstSpace = buffer[line].firstIndex(of: HTTPBytes.sp),
            let lastSpace = buffer[line].lastIndex(of: HTTPBytes.sp),
            firstSpace != lastSpace
        else { throw malformed }
        let method = line.lowerBound..<firstSpace
        let target = (firstSpace &+ 1)..<lastSpace
        let version = (lastSpace &+ 1)..<line.upperBound
        // Exactly one SP between the parts: "GET  / HTTP/1.1" and "GET / HTTP/1.1 " are not request lines.
        guard !method.isEmpty, !version.isEmpty, buffer[target.lowerBound] != HTTPBytes.sp,
            buffer[target.upperBound &- 1] != HTTPBytes.sp
        else { throw malformed }
        // The scanner let only HTAB through among controls; it is still a control here. Methods
        // are case-sensitive tokens; like nginx, only upper-case letters, `-` and `_` are taken:
        // `get` is not GET to every upstream, and lower-case bytes before a method are what a
        // body that overran its framing looks like (`helloGET`).
        for i in method where !Self.isMethodChar(buffer[i]) {
            throw HTTPBytes.isControl(buffer[i]) ? .controlCharacterInHead : .invalidMethod
        }
        self.version = try HTTPVersion.parse(buffer, version)
        // Visible ASCII only: no spaces, controls or raw UTF-8.
        for i in target where buffer[i] &- 0x21 > 0x7E - 0x21 {
            throw HTTPBytes.isControl(buffer[i]) ? .controlCharacterInHead : .invalidTarget
        }

        let kind = HTTPMethodKind(UnsafeRawBufferPointer(rebasing: buffer[method]))
        self.methodKind = kind
        self.method = (method.lowerBound &- headStart)..<(method.upperBound &- headStart)
        self.target = (target.lowerBound &- headStart)..<(target.upperBound &- headStart)
        (path, absoluteFormAuthority) = try Self.split(buffer, target, kind)
    }

    /// RFC 9112 §3.2: origin-form, absolute-form, authority-form (CONNECT only), asterisk-form (OPTIONS only).
    private static func split(_ buffer: UnsafeRawBufferPointer, _ target: Range<Int>, _ kind: HTTPMethodKind)
        throws(HTTPParseError) -> (path: [UInt8], authority: [UInt8]?)
    {
        func copy(_ range: Range<Int>) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: buffer[range])) }
        let first = buffer[target.lowerBound]
        if kind == .connect {
            guard first != HTTPBytes.slash, HTTPAuthority.isValid(buffer, target, requirePort: true) else {
                throw .invalidTarget
            }
            return (copy(target), nil)
        }
        if first == HTTPBytes.slash { return (copy(target), nil) }
        if first == UInt8(ascii: "*") {
            guard target.count == 1, kind == .options else { throw .invalidTarget }
            return ([first], nil)
        }
        let authorityStart: Int
        if hasPrefix(buffer, target, "http://") {
            authorityStart = target.lowerBound &+ 7
        } else if hasPrefix(buffer, target, "https://") {
            authorityStart = target.lowerBound &+ 8
        } else {
            throw .invalidTarget
        }
        var authorityEnd = authorityStart
        while authorityEnd < target.upperBound {
            let byte = buffer[authorityEnd]
            if byte == HTTPBytes.slash || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            authorityEnd &+= 1
        }
        let authority = authorityStart..<authorityEnd
        guard !authority.isEmpty, HTTPAuthority.isValid(buffer, authority, requirePort: false) else {
            throw .invalidTarget
        }
        let rest = authorityEnd..<target.upperBound
        var path: [UInt8]
        if rest.isEmpty {
            path = [HTTPBytes.slash]
        } else if buffer[rest.lowerBound] == HTTPBytes.slash {
            path = copy(rest)
        } else {
            path = [HTTPBytes.slash]
            path.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[rest]))
        }
        return (path, copy(authority))
    }

    /// Case-insensitive, since URI schemes are (RFC 3986 §3.1).
    private static func hasPrefix(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ prefix: StaticString)
        -> Bool
    {
        let count = prefix.utf8CodeUnitCount
        guard range.count >= count else { return false }
        return HTTPBytes.equalsLowercased(buffer, range.lowerBound..<(range.lowerBound &+ count), prefix)
    }

    /// `A`-`Z`, `-`, `_`: the method characters nginx accepts (every registered method fits).
    static func isMethodChar(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }
}
