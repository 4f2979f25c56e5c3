// RFC 5849 §3.4's HMAC-SHA1 signature: percent-encoding, parameters, the base string and the key.
import GatewayCrypto
import GatewayHTTP

/// The pure parts of OAuth 1.0a signing, each step as the RFC names it, so every step can be
/// checked against the RFC's and Twitter's published examples. `OAuth1Signer` puts them together.
public enum OAuth1Signature {
    /// The only signature method sent: the one Twitter and most OAuth 1.0a servers accept.
    public static let method = "HMAC-SHA1"

    /// §3.6: the unreserved characters (`ALPHA DIGIT - . _ ~`) stay; every other UTF-8 byte is `%XX`
    /// with uppercase hex. A space is `%20`, never `+`.
    public static func percentEncode(_ text: String) -> String {
        PercentEncoding.encode(text)
    }

    /// §3.4.1.3.1: an `application/x-www-form-urlencoded` string (a query or a form body) as
    /// decoded name/value pairs, in order. `+` is a space; a pair without `=` has an empty
    /// value; an invalid `%` escape is kept as written.
    public static func formDecode(_ text: Substring) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: "=") {
                pairs.append((formUnescape(part[..<eq]), formUnescape(part[part.index(after: eq)...])))
            } else {
                pairs.append((formUnescape(part), ""))
            }
        }
        return pairs
    }

    /// `formDecode` over a response body (request- and access-token responses are form-encoded).
    public static func formDecode(_ bytes: [UInt8]) -> [(String, String)] {
        formDecode(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    /// §3.4.1.3.2: encode each name and value, sort by encoded name and then encoded value (by
    /// byte), join each pair with `=` (even when the value is empty), and the pairs with `&`.
    public static func normalizedParameters(_ parameters: [(String, String)]) -> String {
        let encoded = parameters.map { (Array(percentEncode($0.0).utf8), Array(percentEncode($0.1).utf8)) }
        let sorted = encoded.sorted { a, b in
            a.0 != b.0 ? a.0.lexicographicallyPrecedes(b.0) : a.1.lexicographicallyPrecedes(b.1)
        }
        var out: [UInt8] = []
        for (index, (name, value)) in sorted.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            out += name
            out.append(UInt8(ascii: "="))
            out += value
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// §3.4.1.2: scheme and host lowercased, the port only when it is not the scheme's default,
    /// the path as written (`/` when empty), no userinfo, query or fragment. Nil unless `url` is
    /// an absolute http or https URL with a host.
    public static func baseStringURI(_ url: String) -> String? {
        guard let parts = OAuth1URLParts(url) else { return nil }
        var out = parts.scheme + "://" + parts.host
        if let port = parts.port, Int(port) != (parts.scheme == "https" ? 443 : 80) { out += ":" + port }
        return out + (parts.path.isEmpty ? "/" : parts.path)
    }

    /// The decoded parameters of `url`'s query component (§3.4.1.3.1's first source).
    public static func queryParameters(of url: String) -> [(String, String)] {
        OAuth1URLParts(url)?.query.map { formDecode($0) } ?? []
    }

    /// §3.4.1.1: `METHOD&enc(base string URI)&enc(normalized parameters)`. `parameters` are every
    /// parameter from the query, a form body and the protocol, without `oauth_signature` and
    /// `realm`. Nil when `url` is not an absolute http(s) URL.
    public static func baseString(method: String, url: String, parameters: [(String, String)]) -> String? {
        guard let uri = baseStringURI(url) else { return nil }
        let signed = parameters.filter { $0.0 != "oauth_signature" && $0.0 != "realm" }
        return percentEncode(method.uppercased()) + "&" + percentEncode(uri) + "&"
            + percentEncode(normalizedParameters(signed))
    }

    /// §3.4.2: base64 of HMAC-SHA1 over the base string, keyed with
    /// `enc(consumer secret)&enc(token secret)` (the token secret is empty before there is one).
    public static func hmacSHA1(baseString: String, consumerSecret: String, tokenSecret: String) -> String {
        let key = Array((percentEncode(consumerSecret) + "&" + percentEncode(tokenSecret)).utf8)
        let digest = MessageAuthentication.hmacSHA1(key: key, message: Array(baseString.utf8))
        return OIDCURLEncoding.base64(digest)
    }

    /// §3.5.1: `OAuth name="value", ...` with every name and value percent-encoded (§3.6), in
    /// the order given.
    public static func authorizationHeader(_ parameters: [(String, String)]) -> String {
        "OAuth " + parameters.map { percentEncode($0.0) + "=\"" + percentEncode($0.1) + "\"" }.joined(separator: ", ")
    }

    /// W3C form decoding of one name or value: `+` is a space, `%XX` a byte.
    static func formUnescape(_ text: Substring) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = PercentEncoding.hexValue(bytes[i + 1]),
                let lo = PercentEncoding.hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(byte)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The pieces of an absolute http(s) URL that signing needs, split without Foundation.
struct OAuth1URLParts {
    /// Lowercased: `http` or `https`.
    var scheme: String
    /// Lowercased; an IPv6 literal keeps its brackets.
    var host: String
    var port: String?
    /// As written, without query or fragment (possibly empty).
    var path: String
    var query: Substring?

    init?(_ url: String) {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return nil }
        scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[url.index(colon, offsetBy: 3)...]
        let withoutFragment = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let authorityEnd = withoutFragment.firstIndex { $0 == "/" || $0 == "?" } ?? withoutFragment.endIndex
        var authority = withoutFragment[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[...close].lowercased()
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? String(after.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon].lowercased()
            port = String(authority[authority.index(after: colon)...])
        } else {
            host = authority.lowercased()
            port = nil
        }
        if port?.isEmpty == true { port = nil }
        guard !host.isEmpty, port?.allSatisfy(\.isASCIIDigit) ?? true else { return nil }
        let pathAndQuery = withoutFragment[authorityEnd...]
        if let q = pathAndQuery.firstIndex(of: "?") {
            path = String(pathAndQuery[..<q])
            query = pathAndQuery[pathAndQuery.index(after: q)...]
        } else {
            path = String(pathAndQuery)
            query = nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
