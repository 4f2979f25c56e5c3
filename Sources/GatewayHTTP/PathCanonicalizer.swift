// The one spelling of a request target that locations are matched against and the upstream
// receives, so no other spelling (`/adm%69n/`, `/admin;x/`, `/static/..;/admin/`) can reach a
// location other than the one the upstream will serve.

public struct CanonicalTarget: Sendable, Equatable {
    /// What the upstream receives: the canonical path, then the query exactly as sent.
    public let forwarded: [UInt8]
    /// Where the path ends in `forwarded` (at `?` or the end).
    public let pathEnd: Int
    /// The path with every segment's `;param` cut off; nil when that is the path itself.
    private let paramFree: [UInt8]?

    init(forwarded: [UInt8], pathEnd: Int, paramFree: [UInt8]?) {
        self.forwarded = forwarded
        self.pathEnd = pathEnd
        self.paramFree = paramFree
    }

    /// The canonical path without the query.
    public var path: ArraySlice<UInt8> { forwarded[..<pathEnd] }

    /// What locations are matched against: the upstream may ignore `;params` (Tomcat, Jetty),
    /// so they must not move a request to another location.
    public var matchPath: ArraySlice<UInt8> { paramFree.map { $0[...] } ?? path }
}

public enum PathCanonicalizer {
    public enum Rejection: Sendable, Equatable {
        case fragment, dotSegment, encodedSlash, backslash, controlByte, brokenEscape, notOriginForm
    }

    public enum Result: Sendable, Equatable {
        case canonical(CanonicalTarget)
        case rejected(Rejection)
    }

    /// `target` is origin-form (or an absolute-form target's path and query). Unreserved
    /// escapes are decoded, other escapes get upper-case hex, `//` is merged; dot segments in
    /// any spelling (`..;x` included), `#`, `\`, controls, broken escapes and (unless allowed,
    /// then kept encoded and not a separator) `%2F`/`%5C` are refused.
    public static func canonicalize(_ target: [UInt8], allowEncodedSlashes: Bool = false) -> Result {
        guard target.first == 0x2F else { return .rejected(.notOriginForm) }
        let n = target.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var paramFree: [UInt8]?  // made at the first `;`
        var segmentStart = 0  // in `out`, just past the `/`
        var paramStart = -1  // in `out`, where this segment's `;` is, or -1
        // Where the part checked for dots starts: the segment, or past an allowed `%2F`/`%5C`,
        // since an upstream that decodes them would see a separator there.
        var dotStart = 0
        var i = 0

        // The segment's name (before any `;`) must not be `.` or `..`.
        func isDotSegment() -> Bool {
            let end = paramStart >= dotStart ? paramStart : out.count
            let len = end - dotStart
            guard len == 1 || len == 2 else { return false }
            return out[dotStart] == 0x2E && (len == 1 || out[dotStart + 1] == 0x2E)
        }
        func appendParamFree(_ bytes: ArraySlice<UInt8>) {
            guard paramFree != nil else { return }
            for b in bytes {
                if b == 0x2F, paramFree!.last == 0x2F { continue }  // `/;x/admin` must match `/admin`
                paramFree!.append(b)
            }
        }
        func endSegment() {
            let end = paramStart >= 0 ? paramStart : out.count
            appendParamFree(out[segmentStart..<end])
        }

        while i < n {
            let b = target[i]
            if b == 0x3F { break }  // '?': the query follows
            switch b {
            case 0x23: return .rejected(.fragment)
            case 0x5C: return .rejected(.backslash)
            case 0x2F:
                if isDotSegment() { return .rejected(.dotSegment) }
                endSegment()
                i += 1
                if out.last == 0x2F && out.count == segmentStart { continue }  // merge `//`
                out.append(0x2F)
                appendParamFree([0x2F])
                segmentStart = out.count
                dotStart = segmentStart
                paramStart = -1
                continue
            case 0x3B:
                startParam(&paramFree, &paramStart, out, segmentStart)
                out.append(b)
            case 0x25:
                guard i + 2 < n, let hi = hexValue(target[i + 1]), let lo = hexValue(target[i + 2]) else {
                    return .rejected(.brokenEscape)
                }
                let d = hi << 4 | lo
                i += 3
                if d < 0x20 || d == 0x7F { return .rejected(.controlByte) }
                if isUnreserved(d) {
                    out.append(d)
                    continue
                }
                let isSlash = d == 0x2F || d == 0x5C
                if isSlash {
                    guard allowEncodedSlashes else { return .rejected(.encodedSlash) }
                    if isDotSegment() { return .rejected(.dotSegment) }
                }
                // An encoded `;` is a parameter to an upstream that decodes first.
                if d == 0x3B { startParam(&paramFree, &paramStart, out, segmentStart) }
                out.append(0x25)
                out.append(upperHex(d >> 4))
                out.append(upperHex(d & 0x0F))
                if isSlash { dotStart = out.count }
                continue
            default:
                if b < 0x20 || b == 0x7F { return .rejected(.controlByte) }
                out.append(b)
            }
            i += 1
        }
        if isDotSegment() { return .rejected(.dotSegment) }
        endSegment()
        let pathEnd = out.count
        if i < n {
            // The query is forwarded as sent; only a fragment is refused there.
            if target[i...].contains(0x23) { return .rejected(.fragment) }
            out.append(contentsOf: target[i...])
        }
        return .canonical(CanonicalTarget(forwarded: out, pathEnd: pathEnd, paramFree: paramFree))
    }

    private static func startParam(
        _ paramFree: inout [UInt8]?, _ paramStart: inout Int, _ out: [UInt8], _ segmentStart: Int
    ) {
        guard paramStart < 0 else { return }
        paramStart = out.count
        if paramFree == nil {
            // The segments before this one had no parameter: they are their own param-free form.
            var copy: [UInt8] = []
            copy.reserveCapacity(out.count + 8)
            copy.append(contentsOf: out[..<segmentStart])
            paramFree = copy
        }
    }

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        (b &- 0x41 < 26) || (b &- 0x61 < 26) || (b &- 0x30 < 10) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    @inline(__always)
    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b &- 0x30
        case 0x41...0x46: return b &- 0x41 &+ 10
        case 0x61...0x66: return b &- 0x61 &+ 10
        default: return nil
        }
    }

    @inline(__always)
    private static func upperHex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 &+ v : 0x41 &+ v &- 10 }
}
