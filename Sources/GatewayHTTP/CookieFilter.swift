// Removes the gateway's own cookies from a Cookie field value, so a session id never reaches
// an upstream (where a log line or a compromised app would turn it into a stolen session).

public struct CookieFilter: Sendable {
    /// Exact cookie names to remove; each configured name also as its `__Host-` spelling.
    private let names: [[UInt8]]
    /// Name prefixes to remove (the sign-in attempt cookies, `NAME_state_<8 chars>`), likewise.
    private let prefixes: [[UInt8]]

    public init(names: [String], prefixes: [String] = []) {
        func spellings(_ list: [String]) -> [[UInt8]] {
            var all: [[UInt8]] = []
            for name in list where !name.isEmpty {
                for spelling in [name, "__Host-" + name] where !all.contains(Array(spelling.utf8)) {
                    all.append(Array(spelling.utf8))
                }
            }
            return all
        }
        self.names = spellings(names)
        self.prefixes = spellings(prefixes)
    }

    public enum Result: Equatable {
        /// No gateway cookie in the value: forward the field line as it is.
        case unchanged
        /// The remaining cookies, each after the `;` the client wrote before it, with the
        /// whitespace there cut to one space: never longer than the field it came from.
        case filtered([UInt8])
        /// Nothing is left: drop the field.
        case empty
    }

    /// Splits on `;` (RFC 6265 §4.2.1 cookie-string), trimming SP/HTAB around each pair; the
    /// common case (no gateway cookie) is one scan and no allocation. A kept pair after the first
    /// is written after `;`, or `; ` when the client put whitespace there: joining every pair
    /// with `; ` would make `a;b;c;...` half as long again.
    public func filter(_ value: ArraySlice<UInt8>) -> Result {
        guard !names.isEmpty || !prefixes.isEmpty, containsGatewayCookie(value) else { return .unchanged }
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        forEachPair(value) { pair, spaced, isGateway in
            guard !isGateway, !pair.isEmpty else { return }
            if !out.isEmpty {
                out.append(0x3B)
                if spaced { out.append(0x20) }
            }
            out.append(contentsOf: pair)
        }
        return out.isEmpty ? .empty : .filtered(out)
    }

    private func containsGatewayCookie(_ value: ArraySlice<UInt8>) -> Bool {
        var found = false
        forEachPair(value) { _, _, isGateway in found = found || isGateway }
        return found
    }

    /// `body(pair, spaced, isGateway)`: `spaced` when whitespace came before the pair.
    private func forEachPair(_ value: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>, Bool, Bool) -> Void) {
        var start = value.startIndex
        while start <= value.endIndex {
            let end = value[start...].firstIndex(of: 0x3B) ?? value.endIndex
            var lo = start
            var hi = end
            while lo < hi, HTTPBytes.isWhitespace(value[lo]) { lo += 1 }
            while hi > lo, HTTPBytes.isWhitespace(value[hi - 1]) { hi -= 1 }
            let pair = value[lo..<hi]
            let nameEnd = pair.firstIndex(of: 0x3D) ?? pair.endIndex
            var name = pair[..<nameEnd]
            while let last = name.last, HTTPBytes.isWhitespace(last) { name = name.dropLast() }
            body(pair, lo > start, isGatewayName(name))
            start = end + 1
        }
    }

    private func isGatewayName(_ name: ArraySlice<UInt8>) -> Bool {
        for n in names where n.count == name.count && name.elementsEqual(n) { return true }
        for p in prefixes where name.count > p.count && name.starts(with: p) { return true }
        return false
    }
}
