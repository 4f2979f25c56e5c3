// Small text helpers for the sign-in endpoints: query strings, cookies and Set-Cookie.
import GatewayHTTP

enum HTTPText {
    /// The query's parameters, percent- and plus-decoded; the first of a repeated name wins.
    static func query(of target: [UInt8]) -> [String: String] {
        guard let q = target.firstIndex(of: 0x3F) else { return [:] }
        return form(target[(q + 1)...])
    }

    /// `a=1&b=2` (a query, or an `application/x-www-form-urlencoded` body); the first of a
    /// repeated name wins.
    static func form(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var result: [String: String] = [:]
        for pair in bytes.split(separator: 0x26) {
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
        PercentEncoding.decode(bytes, plusAsSpace: true).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// RFC 3986 unreserved characters stay; everything else is %XX.
    static func encode(_ s: String) -> String {
        PercentEncoding.encode(s)
    }

    /// The value of cookie `name` from every Cookie field of the request (scanned as bytes:
    /// this runs on every protected request).
    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        cookie(Array(name.utf8), in: headers)
    }

    /// The same with the name as bytes, made once by the caller (the session cookie's, on every
    /// request): no array of the name nor of the Cookie fields' indices per call.
    static func cookie(_ wanted: [UInt8], in headers: HTTPHeaders) -> String? {
        for i in headers.fields.indices where headers.nameEquals(at: i, "cookie") {
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

    /// Every cookie whose name starts with `prefix`, as (name, value), in the order sent.
    static func cookies(prefixed prefix: String, in headers: HTTPHeaders) -> [(String, String)] {
        let wanted = Array(prefix.utf8)
        var found: [(String, String)] = []
        for i in headers.indices(of: "cookie") {
            for pair in headers.value(at: i).split(separator: 0x3B) {  // ';'
                let pair = pair.drop { $0 == 0x20 }
                guard pair.starts(with: wanted), let eq = pair.firstIndex(of: 0x3D) else { continue }
                var v = pair[(eq + 1)...]
                if v.count >= 2, v.first == 0x22, v.last == 0x22 { v = v.dropFirst().dropLast() }
                found.append((String(decoding: pair[..<eq], as: UTF8.self), String(decoding: v, as: UTF8.self)))
            }
        }
        return found
    }

    static func setCookie(name: String, value: String, maxAge: Int, secure: Bool, path: String = "/") -> String {
        var s = "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Lax"
        if secure { s += "; Secure" }
        return s
    }
}
