// A scripted browser over raw sockets: one cookie jar per host:port, redirects taken one by one.
import Foundation

final class Browser {
    /// Cookies by "host:port", then by name.
    private(set) var jar: [String: [String: String]] = [:]

    struct Hop {
        var url: URL
        var response: TestResponse
        var location: URL? {
            response.header("Location").flatMap { URL(string: $0, relativeTo: url)?.absoluteURL }
        }
    }

    func cookies(for url: URL) -> [String: String] { jar[key(url)] ?? [:] }

    func setCookie(_ name: String, _ value: String, for url: URL) { jar[key(url), default: [:]][name] = value }

    /// One request, cookies sent and stored; no redirect is followed.
    @discardableResult
    func request(
        _ method: String = "GET", _ url: URL, headers: [(String, String)] = [], form: [(String, String)]? = nil
    ) throws -> Hop {
        let client = try RawHTTPClient(port: url.port ?? 80)
        var all = headers
        let cookies = cookies(for: url)
        if !cookies.isEmpty {
            all.append(("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        var body: [UInt8]?
        if let form {
            all.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&").utf8)
        }
        // URL.path drops a trailing slash; the components keep the path exactly as written.
        let parts = URLComponents(url: url, resolvingAgainstBaseURL: true)
        var target = parts?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = parts?.percentEncodedQuery { target += "?" + query }
        let response = try client.request(method, target, headers: [("Accept", "text/html")] + all, body: body, host: "\(url.host!):\(url.port!)")
        for i in response.head.headers.indices(of: "set-cookie") {
            let line = String(decoding: response.head.headers.value(at: i), as: UTF8.self)
            let pair = line.split(separator: ";")[0]
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
            if line.contains("Max-Age=0") || value.isEmpty {
                jar[key(url)]?.removeValue(forKey: name)
            } else {
                jar[key(url), default: [:]][name] = value
            }
        }
        return Hop(url: url, response: response)
    }

    /// Follows GET redirects until a non-redirect answer (at most `limit` hops); returns every hop.
    /// `headers` go with the first request only (e.g. the Sec-Fetch-Site of a click on our page).
    func follow(_ url: URL, limit: Int = 10, headers: [(String, String)] = []) throws -> [Hop] {
        var hops: [Hop] = []
        var next: URL? = url
        while let url = next, hops.count < limit {
            let hop = try request("GET", url, headers: hops.isEmpty ? headers : [])
            hops.append(hop)
            next = (300..<400).contains(hop.response.status) ? hop.location : nil
        }
        return hops
    }

    private func key(_ url: URL) -> String { "\(url.host ?? ""):\(url.port ?? 80)" }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}
