// Compact JSON as UTF-8 bytes: the one string escaper, for log lines, response bodies, tokens
// and the stored session record.

/// Appends values in order and puts the commas in: a comma goes before any value or key that
/// does not follow `{`, `[` or `:`. Keys are written as given, so keep them unique.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The bytes as a `String` (they are always valid UTF-8).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var w = JSONWriter(reservingCapacity: s.utf8.count + 2)
        w.string(s)
        return w.text
    }

    // MARK: Values

    /// A quoted string. Escaped: `"`, `\`, every control character (C0 and DEL), and U+2028/U+2029,
    /// which are valid JSON but end a line in JavaScript and in some log viewers.
    public mutating func string(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { appendQuoted($0) }
    }

    /// Bytes that should be UTF-8, as a quoted string; invalid sequences become U+FFFD.
    public mutating func string(utf8: some Collection<UInt8>) {
        string(String(decoding: utf8, as: UTF8.self))
    }

    /// The same from contiguous bytes, without making a String when they are all ASCII (a
    /// request target, a request id: the common case on every access-log line).
    public mutating func string(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { string(contiguous: $0) }
    }

    /// The same from part of an array (a trace id inside its `traceparent`), without copying it out.
    public mutating func string(bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { string(contiguous: $0) }
    }

    private mutating func string(contiguous buffer: UnsafeBufferPointer<UInt8>) {
        guard !buffer.contains(where: { $0 >= 0x80 }) else { return string(utf8: buffer) }
        separate()
        appendQuoted(buffer)
    }

    /// `value / 1000` with exactly three decimals (`12.034`), for milliseconds from microseconds.
    public mutating func thousandths(_ value: UInt64) {
        separate()
        appendDigits(value / 1000)
        let fraction = value % 1000
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    public mutating func number(_ n: Int64) {
        separate()
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(n.magnitude)
    }

    /// Integral values below 2^53 without a fraction (`1700000000`, not `1.7e9`); JSON has no NaN
    /// or infinity, so those are `null`.
    public mutating func number(_ n: Double) {
        if n.isFinite, n == n.rounded(), abs(n) < 9_007_199_254_740_992 {
            number(Int64(n))
        } else if n.isFinite {
            raw(String(n))
        } else {
            null()
        }
    }

    public mutating func bool(_ b: Bool) { raw(b ? "true" : "false") }

    public mutating func null() { raw("null") }

    /// Text that is already one JSON value, such as a number the caller has checked.
    public mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    /// The same from an array (a log line's timestamp): one copy, not a byte at a time.
    public mutating func raw(bytes json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// Bytes that are already JSON (a number, a quoted literal the caller made).
    public mutating func raw(utf8 json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// JSON laid out by the caller, written as it is with no comma before it: the fixed parts of
    /// a line whose shape is known when the program is written (`,"status":`, `}`). It must be
    /// valid where it goes; what follows a piece ending in `:` or `{` gets no comma either.
    public mutating func piece(_ json: StaticString) {
        json.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Ends a line of JSON Lines: what follows starts a new value, with no comma before it.
    public mutating func endLine() { bytes.append(0x0A) }

    /// Empties the writer and keeps its memory, for the next batch of lines.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    // MARK: Structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
    }

    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
    }

    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }

    /// An object member's name; the value comes next.
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// `null` when `value` is nil.
    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public mutating func field(_ name: StaticString, bytes value: [UInt8]) {
        key(name)
        string(bytes: value)
    }

    /// A key known when the program was written: copied as it is, not scanned for escapes (it
    /// must need none, as every field name of the gateway's own lines).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        number(value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func field(_ name: String, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    // MARK: Bytes

    /// Decimal digits, written straight into `bytes` (no String in between: on every access line).
    private mutating func appendDigits(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes; UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &scratch) { digits in
            var start = digits.count
            var rest = value
            while rest > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]))
        }
    }

    @inline(__always)
    private mutating func separate() {
        guard let last = bytes.last else { return }
        if last != UInt8(ascii: "{") && last != UInt8(ascii: "[") && last != UInt8(ascii: ":") && last != 0x0A {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `utf8` is valid UTF-8 (it comes from a `String`): runs that need no escape are copied whole.
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var run = 0
        var k = 0
        while k < utf8.count {
            let c = utf8[k]
            let width: Int
            if c == 0xE2, k + 2 < utf8.count, utf8[k + 1] == 0x80, utf8[k + 2] & 0xFE == 0xA8 {
                width = 3  // U+2028 or U+2029
            } else if c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c == 0x7F {
                width = 1
            } else {
                k += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<k]))
            appendEscape(width == 3 ? 0x2028 | UInt32(utf8[k + 2] & 1) : UInt32(c))
            k += width
            run = k
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<k]))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ scalar: UInt32) {
        bytes.append(UInt8(ascii: "\\"))
        switch scalar {
        case 0x22, 0x5C: bytes.append(UInt8(scalar))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(UInt8(ascii: "u"))
            hex.withUTF8Buffer { digits in
                for shift in stride(from: 12, through: 0, by: -4) {
                    bytes.append(digits[Int(scalar >> UInt32(shift) & 15)])
                }
            }
        }
    }
}
