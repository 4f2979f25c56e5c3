// W3C Trace Context (`traceparent`) and request ids, checked on bytes.

public enum TraceContext {
    /// `version "-" trace-id "-" parent-id "-" trace-flags`, lowercase hex. Version `ff` is
    /// invalid; a trace or parent id of all zeros is invalid; version `00` is exactly 55 bytes, and
    /// a later version may carry more after a `-` (W3C Trace Context §3.2.4).
    public static func isValidTraceParent(_ v: ArraySlice<UInt8>) -> Bool {
        guard v.count >= 55 else { return false }
        let s = v.startIndex
        func hex(_ range: Range<Int>) -> Bool {
            v[(s + range.lowerBound)..<(s + range.upperBound)].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        func zeros(_ range: Range<Int>) -> Bool { v[(s + range.lowerBound)..<(s + range.upperBound)].allSatisfy { $0 == 0x30 } }
        guard hex(0..<2), v[s + 2] == 0x2D, hex(3..<35), v[s + 35] == 0x2D, hex(36..<52), v[s + 52] == 0x2D, hex(53..<55)
        else { return false }
        guard !(v[s] == 0x66 && v[s + 1] == 0x66), !zeros(3..<35), !zeros(36..<52) else { return false }
        if v[s] == 0x30 && v[s + 1] == 0x30 { return v.count == 55 }
        return v.count == 55 || v[s + 55] == 0x2D
    }

    /// The 32 hex digits of a valid `traceparent`'s trace id.
    public static func traceID(_ traceParent: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        traceParent.dropFirst(3).prefix(32)
    }

    /// A version-00 `traceparent` for a new trace: `trace` and `parent` as lowercase hex, not sampled
    /// (the gateway records no spans of its own).
    public static func traceParent(trace: (UInt64, UInt64), parent: UInt64) -> [UInt8] {
        // `00-` 32 hex `-` 16 hex `-00`: written in place, one allocation.
        [UInt8](unsafeUninitializedCapacity: 55) { out, count in
            writeTraceParent(trace: trace, parent: parent, to: out.baseAddress!)
            count = 55
        }
    }

    /// A new request's id and its trace's `traceparent`, in one allocation: the 32 hex digits of
    /// `trace` (the request id), then the 55 bytes of `traceParent(trace:parent:)`.
    public static func requestIDAndTraceParent(trace: (UInt64, UInt64), parent: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32 + 55) { out, count in
            let p = out.baseAddress!
            writeHex(trace.0, to: p)
            writeHex(trace.1, to: p + 16)
            writeTraceParent(trace: trace, parent: parent, to: p + 32)
            count = 32 + 55
        }
    }

    private static func writeTraceParent(trace: (UInt64, UInt64), parent: UInt64, to p: UnsafeMutablePointer<UInt8>) {
        (p[0], p[1], p[2]) = (0x30, 0x30, 0x2D)
        writeHex(trace.0, to: p + 3)
        writeHex(trace.1, to: p + 19)
        p[35] = 0x2D
        writeHex(parent, to: p + 36)
        (p[52], p[53], p[54]) = (0x2D, 0x30, 0x30)
    }

    /// 32 lowercase hex digits of a 128-bit id.
    public static func hex(_ value: (UInt64, UInt64)) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            writeHex(value.0, to: out.baseAddress!)
            writeHex(value.1, to: out.baseAddress! + 16)
            count = 32
        }
    }

    /// A request id a trusted proxy may hand on: 1 to 128 bytes of letters, digits and
    /// `-._:+=/@`, which covers UUIDs, nginx's `$request_id`, and AWS and Heroku ids, and
    /// nothing that could break a log line or a header.
    public static func isAcceptableRequestID(_ v: ArraySlice<UInt8>) -> Bool {
        guard (1...128).contains(v.count) else { return false }
        return v.allSatisfy { b in
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case 0x2D, 0x2E, 0x5F, 0x3A, 0x2B, 0x3D, 0x2F, 0x40: true
            default: false
            }
        }
    }

    /// 16 lowercase hex digits of `value`, most significant first, at `out`.
    static func writeHex(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) {
        for i in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * i)) & 0xF
            out[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
        }
    }
}
