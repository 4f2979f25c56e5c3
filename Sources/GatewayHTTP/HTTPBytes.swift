// Byte classes from RFC 9110/9112 as bit masks, so the hot loops do no table loads or String work.

enum HTTPBytes {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F

    @inline(__always)
    private static func inMask(_ b: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        // Masking shifts: the plain ones check for overshift on every byte.
        if b < 64 { return (low &>> UInt64(b)) & 1 != 0 }
        if b < 128 { return (high &>> UInt64(b &- 64)) & 1 != 0 }
        return false
    }

    /// tchar: "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
    @inline(__always)
    static func isTokenChar(_ b: UInt8) -> Bool { inMask(b, 0x03ff_6cfa_0000_0000, 0x57ff_ffff_c7ff_fffe) }

    /// unreserved / sub-delims: the reg-name bytes other than pct-encoded.
    @inline(__always)
    static func isRegNameChar(_ b: UInt8) -> Bool { inMask(b, 0x2bff_7fd2_0000_0000, 0x47ff_fffe_87ff_fffe) }

    /// True if any of the 8 bytes in `word` is a control (0x00-0x1F or 0x7F). SWAR: a byte below
    /// 0x20 borrows into its high bit; XOR with 0x7F turns DEL into a zero byte.
    @inline(__always)
    static func hasControl(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word & highs
        let del = word ^ (ones &* 0x7F)
        return (below | ((del &- ones) & ~del & highs)) != 0
    }

    @inline(__always)
    static func isHexDigit(_ b: UInt8) -> Bool { inMask(b, 0x03ff_0000_0000_0000, 0x0000_007e_0000_007e) }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// 0x00-0x1F and 0x7F (HTAB included; callers that allow it check first).
    @inline(__always)
    static func isControl(_ b: UInt8) -> Bool { b < 0x20 || b == 0x7F }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == sp || b == htab }

    @inline(__always)
    static func lowercased(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt64? {
        switch b {
        case 0x30...0x39: return UInt64(b &- 0x30)
        case 0x41...0x46: return UInt64(b &- 0x41 &+ 10)
        case 0x61...0x66: return UInt64(b &- 0x61 &+ 10)
        default: return nil
        }
    }

    /// ASCII case-insensitive equality of `buffer[range]` with an already lowercased literal.
    @inline(__always)
    static func equalsLowercased(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool
    {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        var i = 0
        for j in range {
            if lowercased(buffer[j]) != lit[i] { return false }
            i &+= 1
        }
        return true
    }

    /// Same, against lowercased bytes.
    @inline(__always)
    static func equalsLowercased(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ lower: [UInt8]) -> Bool {
        guard range.count == lower.count else { return false }
        var i = 0
        for j in range {
            if lowercased(buffer[j]) != lower[i] { return false }
            i &+= 1
        }
        return true
    }

    /// `range` without leading and trailing SP/HTAB.
    @inline(__always)
    static func trimmed(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi, isWhitespace(buffer[lo]) { lo &+= 1 }
        while hi > lo, isWhitespace(buffer[hi &- 1]) { hi &-= 1 }
        return lo..<hi
    }
}
