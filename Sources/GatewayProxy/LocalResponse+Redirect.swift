// Local answers for flows (sign-in, mostly): redirects with cookies, pages and JSON, never cached.

extension LocalResponse {
    public static func redirect(_ location: String, cookies: [String] = []) -> LocalResponse {
        var headers: [(String, String)] = [("Location", location), ("Cache-Control", "no-store")]
        for cookie in cookies { headers.append(("Set-Cookie", cookie)) }
        return LocalResponse(status: 302, headers: headers, body: [])
    }

    public static func page(_ status: Int, _ html: String, cookies: [String] = []) -> LocalResponse {
        var headers: [(String, String)] = [
            ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
            ("X-Frame-Options", "DENY"),
        ]
        for cookie in cookies { headers.append(("Set-Cookie", cookie)) }
        return LocalResponse(status: status, headers: headers, body: Array(html.utf8))
    }

    public func adding(_ headers: [(String, String)]) -> LocalResponse {
        var copy = self
        copy.headers += headers
        return copy
    }
}
