// RFC 3986 percent-encoding and decoding, shared by URLs, forms, OAuth 1.0a signing and `next`.

public enum PercentEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The unreserved characters (`ALPHA DIGIT - . _ ~`) stay; every other UTF-8 byte becomes
    /// `%XX` with uppercase hex (as RFC 5849 §3.6 requires too). With `spaceAsPlus`, a space
    /// becomes `+` (`application/x-www-form-urlencoded`).
    public static func encode(_ text: String, spaceAsPlus: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        encode(text, spaceAsPlus: spaceAsPlus, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func encode(_ text: String, spaceAsPlus: Bool = false, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:
                out.append(byte)
            case 0x20 where spaceAsPlus:
                out.append(0x2B)
            default:
                out += [0x25, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
    }

    /// Decodes every `%XX`; with `plusAsSpace`, `+` is a space. Nil on a broken escape.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, plusAsSpace: Bool = false) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x25 {
                let h = bytes.index(after: i)
                guard h < bytes.endIndex else { return nil }
                let l = bytes.index(after: h)
                guard l < bytes.endIndex, let high = hexValue(bytes[h]), let low = hexValue(bytes[l]) else { return nil }
                out.append(high << 4 | low)
                i = bytes.index(after: l)
                continue
            }
            out.append(plusAsSpace && b == 0x2B ? 0x20 : b)
            i = bytes.index(after: i)
        }
        return out
    }

    /// The value of one hex digit (either case).
    public static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
