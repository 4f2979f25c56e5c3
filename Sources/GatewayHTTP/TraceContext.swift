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
        var out = Array("00-".utf8)
        out.reserveCapacity(55)
        appendHex(trace.0, to: &out)
        appendHex(trace.1, to: &out)
        out.append(0x2D)
        appendHex(parent, to: &out)
        out.append(contentsOf: "-00".utf8)
        return out
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

    /// 16 lowercase hex digits of `value`, most significant first.
    public static func appendHex(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let nibble = UInt8((value >> UInt64(shift)) & 0xF)
            out.append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
        }
    }
}
