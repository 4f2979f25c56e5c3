// A strict RFC 8259 tree parser with a depth limit, for untrusted JOSE and IdP input; it builds
// `JSONValue`s from what `JSONReader` lexes.

enum JSONParser {
    /// Deeper input is rejected instead of recursing until the stack runs out.
    static let maximumDepth = 64

    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        var reader = JSONReader(bytes)
        guard let value = value(&reader, depth: 0), reader.atEnd else { return nil }
        return value
    }

    private static func value(_ r: inout JSONReader, depth: Int) -> JSONValue? {
        guard let c = r.peek() else { return nil }
        switch c {
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { return nil }
            var members: [String: JSONValue] = [:]
            let ok = r.readObject { key, r in
                guard let member = value(&r, depth: depth + 1) else { return false }
                // Duplicate names are ambiguous (RFC 7515 §5.2): which "alg" or "aud" counts?
                return members.updateValue(member, forKey: key) == nil
            }
            return ok ? .object(members) : nil
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { return nil }
            var items: [JSONValue] = []
            let ok = r.readArray { r in
                guard let item = value(&r, depth: depth + 1) else { return false }
                items.append(item)
                return true
            }
            return ok ? .array(items) : nil
        case UInt8(ascii: "\""): return r.readString().map(JSONValue.string)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            var b: Bool?
            return r.readBool(into: &b) ? b.map(JSONValue.bool) : nil
        case UInt8(ascii: "n"): return r.consumeLiteral("null") ? .null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return r.readNumber().map(JSONValue.number)
        default: return nil
        }
    }
}
