// Small text helpers for the sign-in endpoints: query strings, cookies and Set-Cookie.
import GatewayHTTP

enum HTTPText {
    /// The query's parameters, percent- and plus-decoded; the first of a repeated name wins.
    static func query(of target: [UInt8]) -> [String: String] {
        guard let q = target.firstIndex(of: 0x3F) else { return [:] }
        var result: [String: String] = [:]
        for pair in target[(q + 1)...].split(separator: 0x26) {
            let parts = pair.split(separator: 0x3D, maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decode(parts[0]) else { continue }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if result[key] == nil, let value { result[key] = value }
        }
        return result
    }

    /// The path without its query.
    static func path(of target: [UInt8]) -> [UInt8] {
        guard let q = target.firstIndex(of: 0x3F) else { return target }
        return Array(target[..<q])
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x2B {
                out.append(0x20)
            } else if b == 0x25 {
                guard i + 2 < bytes.endIndex, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    /// RFC 3986 unreserved characters stay; everything else is %XX.
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// The value of cookie `name` from every Cookie field of the request (scanned as bytes:
    /// this runs on every protected request).
    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        let wanted = Array(name.utf8)
        for i in headers.indices(of: "cookie") {
            let value = headers.value(at: i)
            var start = value.startIndex
            while start < value.endIndex {
                let end = value[start...].firstIndex(of: 0x3B) ?? value.endIndex  // ';'
                var p = start
                while p < end && value[p] == 0x20 { p += 1 }
                if let eq = value[p..<end].firstIndex(of: 0x3D), value[p..<eq].elementsEqual(wanted) {
                    var v = value[(eq + 1)..<end]
                    if v.count >= 2, v.first == 0x22, v.last == 0x22 { v = v.dropFirst().dropLast() }
                    return String(decoding: v, as: UTF8.self)
                }
                start = end + 1
            }
        }
        return nil
    }

    static func setCookie(name: String, value: String, maxAge: Int, secure: Bool, path: String = "/") -> String {
        var s = "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Lax"
        if secure { s += "; Secure" }
        return s
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
