// Checks a request before libcurl sees it: an http(s) URL, a token method, and headers that cannot split.
import CCurl

extension OutboundRequest {
    /// The URL's `host` or `host:port` (for errors), once the request is known to be well formed.
    ///
    /// libcurl would send a CR or LF in a header value as is, and that splits the request.
    func validatedHost() throws(OutboundHTTPError) -> String {
        let host = try Self.host(of: url)
        guard Self.isToken(method) else {
            throw OutboundHTTPError(.invalidRequest, host: host, detail: "the method is not an HTTP token")
        }
        for (name, value) in headers {
            guard Self.isToken(name) else {
                throw OutboundHTTPError(.invalidRequest, host: host, detail: "a header name is not an HTTP token")
            }
            // Report the name, which is ours to choose, never the value, which may be a token.
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                throw OutboundHTTPError(
                    .invalidRequest, host: host, detail: "header \(name) has CR, LF or NUL in its value")
            }
        }
        return host
    }

    /// Parses with libcurl's own URL parser, so what we accept is what it will fetch.
    private static func host(of url: String) throws(OutboundHTTPError) -> String {
        guard let handle = curl_url() else { throw OutboundHTTPError(.other, host: "", detail: "curl_url failed") }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else {
            throw OutboundHTTPError(.invalidURL, host: "", detail: "not an absolute URL")
        }
        func part(_ which: CURLUPart) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &out, 0) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        guard let scheme = part(CURLUPART_SCHEME), scheme == "http" || scheme == "https" else {
            throw OutboundHTTPError(.invalidURL, host: "", detail: "the scheme must be http or https")
        }
        guard let host = part(CURLUPART_HOST), !host.isEmpty else {
            throw OutboundHTTPError(.invalidURL, host: "", detail: "the URL has no host")
        }
        return part(CURLUPART_PORT).map { "\(host):\($0)" } ?? host
    }

    /// An RFC 9110 token: one or more tchar.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: tokenPunctuation.contains(byte)
        }
    }

    private static let tokenPunctuation: Set<UInt8> = Set("!#$%&'*+-.^_`|~".utf8)
}
