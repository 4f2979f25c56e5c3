// A small strict JSON reader over bytes, enough for the session record and whatever a
// newer version adds to it.

/// Reads one value at a time; every method returns false (or nil) on malformed input.
struct JSONReader {
    private let bytes: [UInt8]
    private var i = 0
    private static let maximumDepth = 32

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when only whitespace is left.
    var atEnd: Bool {
        mutating get {
            skipSpace()
            return i == bytes.count
        }
    }

    /// Calls `member` with each key; it must consume the value and return whether it could.
    mutating func readObject(_ member: (String, inout JSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = readString(), consume(UInt8(ascii: ":")), member(key, &self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    mutating func readString(into out: inout String?) -> Bool {
        out = readString()
        return out != nil
    }

    /// `null` or a string.
    mutating func readOptionalString(into out: inout String?) -> Bool {
        if consumeLiteral("null") {
            out = nil
            return true
        }
        return readString(into: &out)
    }

    mutating func readInteger(into out: inout Int64?) -> Bool {
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
    mutating func readBool(into out: inout Bool?) -> Bool {
        if consumeLiteral("true") {
            out = true
        } else if consumeLiteral("false") {
            out = false
        } else {
            return false
        }
        return true
    }

    mutating func readStringArray(into out: inout [String]?) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        var items: [String] = []
        if !consume(UInt8(ascii: "]")) {
            repeat {
                guard let item = readString() else { return false }
                items.append(item)
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")) else { return false }
        }
        out = items
        return true
    }

    /// Skips any one value.
    mutating func skipValue(depth: Int = 0) -> Bool {
        skipSpace()
        guard i < bytes.count, depth < Self.maximumDepth else { return false }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            return readString() != nil
        case UInt8(ascii: "{"):
            return readObject { _, r in r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            i += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return consumeLiteral("true")
        case UInt8(ascii: "f"): return consumeLiteral("false")
        case UInt8(ascii: "n"): return consumeLiteral("null")
        default:
            let start = i
            while i < bytes.count, Self.isNumberByte(bytes[i]) { i += 1 }
            return i > start
        }
    }

    // MARK: Strings

    mutating func readString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
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
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                out.append(c)
            }
        }
        return nil
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
        return Unicode.Scalar(high)
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

    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
            || c | 0x20 == UInt8(ascii: "e")
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func consume(_ c: UInt8, skippingSpace: Bool = true) -> Bool {
        if skippingSpace { skipSpace() }
        guard i < bytes.count, bytes[i] == c else { return false }
        i += 1
        return true
    }

    private mutating func consumeLiteral(_ word: StaticString) -> Bool {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[i + $0] == w[$0] } }
        if matches { i += count }
        return matches
    }
}
