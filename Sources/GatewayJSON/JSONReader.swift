// The byte-level JSON reader: a pull reader for known-shape objects (the session record, read on
// every authenticated request), and the lexer under the strict tree parser.

/// Reads one value at a time over UTF-8 bytes; every method returns false (or nil) on malformed
/// input. Strings must be valid UTF-8, control characters escaped, surrogates paired, and numbers
/// follow RFC 8259's grammar.
public struct JSONReader {
    private let bytes: [UInt8]
    private var i = 0
    /// How deep `skipValue` goes into a value it was asked to skip.
    private static let maximumSkipDepth = 32

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when only whitespace is left.
    public var atEnd: Bool {
        mutating get {
            skipSpace()
            return i == bytes.count
        }
    }

    /// Calls `member` with each key; it must consume the value and return whether it could.
    public mutating func readObject(_ member: (String, inout JSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = readString(), consume(UInt8(ascii: ":")), member(key, &self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Calls `element` for each item; it must consume the item and return whether it could.
    public mutating func readArray(_ element: (inout JSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    public mutating func readString(into out: inout String?) -> Bool {
        out = readString()
        return out != nil
    }

    /// `null` or a string.
    public mutating func readOptionalString(into out: inout String?) -> Bool {
        if consumeLiteral("null") {
            out = nil
            return true
        }
        return readString(into: &out)
    }

    /// An integer that fits `Int64`: no fraction, no exponent.
    public mutating func readInteger(into out: inout Int64?) -> Bool {
        skipSpace()
        let negative = i < bytes.count && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var value: Int64 = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(bytes[i] - 0x30))
            guard !o1, !o2 else { return false }
            value = a
            digits += 1
            i += 1
        }
        guard digits > 0 else { return false }
        // A fraction or exponent is not an integer.
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] | 0x20 == UInt8(ascii: "e") { return false }
        out = negative ? -value : value
        return true
    }

    /// `true` or `false`.
    public mutating func readBool(into out: inout Bool?) -> Bool {
        if consumeLiteral("true") {
            out = true
        } else if consumeLiteral("false") {
            out = false
        } else {
            return false
        }
        return true
    }

    public mutating func readStringArray(into out: inout [String]?) -> Bool {
        var items: [String] = []
        let ok = readArray { r in
            guard let item = r.readString() else { return false }
            items.append(item)
            return true
        }
        if ok { out = items }
        return ok
    }

    /// Skips any one value.
    public mutating func skipValue() -> Bool { skipValue(depth: 0) }

    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < Self.maximumSkipDepth, let c = peek() else { return false }
        switch c {
        case UInt8(ascii: "\""): return readString() != nil
        case UInt8(ascii: "{"): return readObject { _, r in r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return readArray { r in r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): return consumeLiteral("true")
        case UInt8(ascii: "f"): return consumeLiteral("false")
        case UInt8(ascii: "n"): return consumeLiteral("null")
        default: return scanNumber() != nil
        }
    }

    /// The next byte after whitespace, not consumed; nil at the end.
    mutating func peek() -> UInt8? {
        skipSpace()
        return i < bytes.count ? bytes[i] : nil
    }

    /// A number as `Double`; nil when it is malformed or does not fit (`1e999`).
    mutating func readNumber() -> Double? {
        guard let range = scanNumber(),
            let n = Double(String(decoding: bytes[range], as: UTF8.self)), n.isFinite
        else { return nil }
        return n
    }

    mutating func consumeLiteral(_ word: StaticString) -> Bool {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[i + $0] == w[$0] } }
        if matches { i += count }
        return matches
    }

    // MARK: Strings

    public mutating func readString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        // Fast path: no escapes, so the string is a slice of the input.
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(validating: bytes[start..<(i - 1)], as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { return nil }  // control characters must be escaped
            i += 1
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = readEscapedScalar() else { return nil }
                    UTF8.encode(scalar) { out.append($0) }
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                out.append(c)
            }
        }
        return nil  // unterminated
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
    private mutating func readEscapedScalar() -> Unicode.Scalar? {
        guard let high = readHex4() else { return nil }
        if (0xD800..<0xDC00).contains(high) {
            guard consume(UInt8(ascii: "\\"), skippingSpace: false), consume(UInt8(ascii: "u"), skippingSpace: false),
                let low = readHex4(), (0xDC00..<0xE000).contains(low)
            else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)  // nil for a lone low surrogate
    }

    private mutating func readHex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    // MARK: Bytes

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func scanNumber() -> Range<Int>? {
        skipSpace()
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { skipDigits() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
            skipDigits()
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
            skipDigits()
        }
        return start..<i
    }

    private mutating func skipDigits() {
        while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func consume(_ c: UInt8, skippingSpace: Bool = true) -> Bool {
        if skippingSpace { skipSpace() }
        guard i < bytes.count, bytes[i] == c else { return false }
        i += 1
        return true
    }
}
