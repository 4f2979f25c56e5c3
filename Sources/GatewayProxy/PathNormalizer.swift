// The path a location is matched against: decoded and checked so that no spelling of a path
// can reach a location other than the one the upstream will serve.
import GatewayAuth

enum PathNormalizer {
    enum Result: Equatable {
        case path([UInt8])
        /// Dot segments, an encoded NUL or a broken escape: answered with 400.
        case rejected
    }

    /// Percent-decodes the path (the part before `?`), merges repeated slashes and rejects
    /// `.` and `..` segments in any spelling (`/a/../b`, `/a/%2e%2e/b`, `/a\..\b`).
    /// Browsers never send dot segments; an upstream that resolves them would otherwise be
    /// reached through a location with weaker rules (`/static/../admin/`).
    static func normalize(_ target: [UInt8]) -> Result {
        var out: [UInt8] = []
        out.reserveCapacity(target.count)
        var segmentStart = 0
        var i = 0
        func endSegment() -> Bool {
            let segment = out[segmentStart...]
            return !(segment.elementsEqual([0x2E]) || segment.elementsEqual([0x2E, 0x2E]))
        }
        while i < target.count {
            var b = target[i]
            if b == 0x3F || b == 0x23 { break }  // '?' or '#'
            if b == 0x25 {  // '%'
                guard i + 2 < target.count, let h = PercentEncoding.hexValue(target[i + 1]), let l = PercentEncoding.hexValue(target[i + 2]) else {
                    return .rejected
                }
                b = h << 4 | l
                if b == 0 { return .rejected }
                i += 2
            }
            i += 1
            if b == 0x2F || b == 0x5C {  // '/' or '\': a separator for some upstream or other
                if !endSegment() { return .rejected }
                if out.last == 0x2F { segmentStart = out.count; continue }
                out.append(0x2F)
                segmentStart = out.count
                continue
            }
            out.append(b)
        }
        if !endSegment() { return .rejected }
        if out.isEmpty { out = [0x2F] }
        return .path(out)
    }
}
