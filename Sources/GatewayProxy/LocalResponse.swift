// Responses the gateway writes itself (errors, health), as HTML or JSON by the client's Accept.
import GatewayCore
import GatewayHTTP
import GatewayJSON

public struct LocalResponse {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Does the client prefer JSON? API clients say so in Accept (or send X-Requested-With).
    public static func prefersJSON(_ head: HTTPRequestHead?) -> Bool {
        guard let head else { return false }
        if head.headers.contains("x-requested-with") { return true }
        guard let accept = head.headers.firstValue("accept") else { return false }
        let lowered = accept.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        guard let json = firstOffset(of: Array("json".utf8), in: lowered) else { return false }
        guard let html = firstOffset(of: Array("text/html".utf8), in: lowered) else { return true }
        return json < html
    }

    private static func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// A small error page: `{"error": ..., "status": ...}` or a minimal HTML document.
    public static func error(_ status: Int, detail: String? = nil, for head: HTTPRequestHead?) -> LocalResponse {
        let reason = HTTPSerializer.reasonPhrase(status)
        if prefersJSON(head) {
            var body = "{\"status\":\(status),\"error\":"
            body += JSONWriter.quoted(reason)
            if let detail {
                body += ",\"detail\":"
                body += JSONWriter.quoted(detail)
            }
            body += "}\n"
            return LocalResponse(
                status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        let text = HTMLText.escape(detail ?? reason)
        let body =
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(status) \(reason)</title></head>"
            + "<body><h1>\(status) \(reason)</h1><p>\(text)</p></body></html>\n"
        return LocalResponse(
            status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(body.utf8))
    }

    /// Plain HTTP sent to a TLS port.
    static var plaintextOnTLSPort: LocalResponse {
        LocalResponse(
        status: 400, headers: [("Content-Type", "text/plain; charset=utf-8")],
            body: Array("This port speaks HTTPS: the request was sent as plain HTTP. Use an https:// URL.\n".utf8))
    }

    public static func json(_ status: Int, _ body: String) -> LocalResponse {
        LocalResponse(
            status: status,
            headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
            body: Array(body.utf8))
    }

    /// The wire bytes; HEAD responses keep the Content-Length but drop the body.
    /// `hsts`: a `Strict-Transport-Security` value to add.
    func serialized(keepAlive: Bool, isHead: Bool, hsts: String? = nil) -> [UInt8] {
        let fields = hsts.map { headers + [("Strict-Transport-Security", $0)] } ?? headers
        var bytes = HTTPSerializer.response(status: status, headers: fields, body: body, keepAlive: keepAlive)
        if isHead { bytes.removeLast(body.count) }
        return bytes
    }
}

public enum HTMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
