// Writes the responses the gateway makes itself, and chunk framing for streamed bodies.

public enum HTTPSerializer {
    /// The RFC 9110 §15 reason phrase, or "Unknown" for codes it does not name.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 203: return "Non-Authoritative Information"
        case 204: return "No Content"
        case 205: return "Reset Content"
        case 206: return "Partial Content"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Range Not Satisfiable"
        case 417: return "Expectation Failed"
        case 421: return "Misdirected Request"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Unknown"
        }
    }

    /// A complete response: status line, the given fields, Content-Length, `Connection: close` when !keepAlive, body.
    /// 1xx, 204 and 304 get neither Content-Length nor body (RFC 9110 §8.6, §15.3.5, §15.4.5).
    /// CR, LF and other controls in names and values are dropped, so a value built from request data
    /// (a redirect target, say) cannot inject a field.
    public static func response(status: Int, headers: [(String, String)], body: [UInt8], keepAlive: Bool) -> [UInt8] {
        precondition((100...999).contains(status), "HTTPSerializer.response: status \(status) is not three digits")
        let hasBody = status >= 200 && status != 204 && status != 304
        var out: [UInt8] = []
        out.reserveCapacity(96 + headers.count * 48 + (hasBody ? body.count : 0))
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(HTTPBytes.sp)
        out.append(contentsOf: reasonPhrase(status).utf8)
        out.append(contentsOf: crlf)
        for (name, value) in headers {
            for byte in name.utf8 where HTTPBytes.isTokenChar(byte) { out.append(byte) }
            out.append(contentsOf: ": ".utf8)
            for byte in value.utf8 where !HTTPBytes.isControl(byte) || byte == HTTPBytes.htab { out.append(byte) }
            out.append(contentsOf: crlf)
        }
        if hasBody {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(body.count, to: &out)
            out.append(contentsOf: crlf)
        }
        if !keepAlive { out.append(contentsOf: "Connection: close\r\n".utf8) }
        out.append(contentsOf: crlf)
        if hasBody { out.append(contentsOf: body) }
        return out
    }

    /// The longest chunk size line: 16 hex digits and CRLF.
    public static let maxChunkSizeLine = 18

    /// Writes "HEX\r\n" (lowercase hex, as nginx writes it) at `line`, which has room for
    /// `maxChunkSizeLine` bytes; returns how many it wrote. No allocation: every piece of every
    /// streamed body is framed with it.
    @inline(__always)
    public static func writeChunkSizeLine(_ size: Int, to line: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(size >= 0, "HTTPSerializer.writeChunkSizeLine: negative size \(size)")
        var digits = 0
        var n = size
        repeat {
            digits += 1
            n >>= 4
        } while n > 0
        n = size
        for i in stride(from: digits - 1, through: 0, by: -1) {
            let nibble = UInt8(n & 0xF)
            line[i] = nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
            n >>= 4
        }
        line[digits] = HTTPBytes.cr
        line[digits + 1] = HTTPBytes.lf
        return digits + 2
    }

    /// Appends "HEX\r\n" to `out`.
    public static func appendChunkHeader(_ size: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxChunkSizeLine) { line in
            let n = writeChunkSizeLine(size, to: line.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<n]))
        }
    }

    /// "\r\n" after chunk data.
    public static let chunkTerminator: [UInt8] = [HTTPBytes.cr, HTTPBytes.lf]
    /// "0\r\n\r\n": the last chunk with no trailers.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    private static let crlf: [UInt8] = [HTTPBytes.cr, HTTPBytes.lf]

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0)
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(0x30 + value % 10))
    }
}
