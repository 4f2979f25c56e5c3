// One transfer in flight on a `CurlHTTPClient`: its easy handle, header list, buffers and completion.
import CCurl
import CCurlShims

/// Owns one easy handle and everything libcurl reads from it, and frees them in `deinit`. The
/// client removes the handle from its multi before it lets go of the transfer.
///
/// Thread-safety: `@unchecked Sendable` because it is touched only on its client's queue.
final class CurlTransfer: @unchecked Sendable {
    typealias Completion = (Result<OutboundResponse, OutboundHTTPError>) -> Void

    static let userAgent = CurlHTTPClient.userAgent
    /// The connect phase gets at most this much of the request's timeout.
    static let maxConnectTimeout: Duration = .seconds(5)
    /// Heads (1xx, final, trailers) together; libcurl 7.88 caps only single header lines.
    static let maxHeadBytes = 256 << 10

    let easy: UnsafeMutableRawPointer
    /// `host` or `host:port`, for errors.
    let host: String
    private let maxResponseBytes: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var completion: Completion?
    private var body: [UInt8] = []
    private var headers: [(String, String)] = []
    private var headBytes = 0
    /// Set when our callbacks stopped the transfer for size, so CURLE_WRITE_ERROR means "too large".
    private var exceededLimit = false

    init(request: OutboundRequest, caFile: String?, completion: @escaping Completion) throws(OutboundHTTPError) {
        host = try request.validatedHost()
        guard let easy = curl_easy_init() else {
            throw OutboundHTTPError(.other, host: host, detail: "curl_easy_init failed")
        }
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        maxResponseBytes = max(0, request.maxResponseBytes)
        self.completion = completion
        // A throw from here on still runs deinit, which frees the handle and the list.
        try configure(request, caFile: caFile)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(_ request: OutboundRequest, caFile: String?) throws(OutboundHTTPError) {
        var failure = CURLE_OK
        func check(_ code: CURLcode) { if failure == CURLE_OK { failure = code } }
        let easy = self.easy
        check(gw_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        check(gw_curl_easy_setopt_string(easy, CURLOPT_URL, request.url))
        check(gw_curl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(gw_curl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        check(gw_curl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        // Verification is always on; a private CA is trusted through caFile, never by turning it off.
        check(gw_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1))
        check(gw_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2))
        if let caFile { check(gw_curl_easy_setopt_string(easy, CURLOPT_CAINFO, caFile)) }
        let timeout = Self.milliseconds(request.timeout)
        check(gw_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout))
        check(
            gw_curl_easy_setopt_long(
                easy, CURLOPT_CONNECTTIMEOUT_MS, min(timeout, Self.milliseconds(Self.maxConnectTimeout))))
        check(gw_curl_easy_setopt_string(easy, CURLOPT_USERAGENT, Self.userAgent))
        // CURLOPT_ACCEPT_ENCODING stays unset: no Accept-Encoding is sent and the body stays raw.
        check(gw_curl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseBytes)))
        check(gw_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))

        let me = Unmanaged.passUnretained(self).toOpaque()
        check(gw_curl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, CurlCallbacks.write))
        check(gw_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        check(gw_curl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, CurlCallbacks.header))
        check(gw_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me))

        switch (request.method, request.body) {
        case ("GET", nil): break
        case ("HEAD", nil): check(gw_curl_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
        case ("POST", nil): check(setBody([]))
        case (_, nil): check(gw_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method))
        case (let method, let body?):
            check(setBody(body))
            if method != "POST" { check(gw_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
        }

        for (name, value) in request.headers {
            // "Name;" is libcurl's spelling of an empty value ("Name:" would remove the header).
            try appendHeader(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        let hasExpect = request.headers.contains { OutboundResponse.headerNamesMatch($0.0, "Expect") }
        if request.body != nil, !hasExpect {
            // No "Expect: 100-continue" round trip (libcurl adds it to large bodies): IdPs answer at once.
            try appendHeader("Expect:")
        }
        if let headerList {
            check(gw_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)))
        }

        guard failure == CURLE_OK else {
            throw OutboundHTTPError.fromCurl(failure, host: host, tooLarge: false, message: "")
        }
    }

    /// COPYPOSTFIELDS copies the bytes now, so `body` need not outlive the call.
    private func setBody(_ body: [UInt8]) -> CURLcode {
        let size = gw_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        guard size == CURLE_OK else { return size }
        if body.isEmpty { return gw_curl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "") }
        return body.withUnsafeBytes {
            gw_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
        }
    }

    private func appendHeader(_ line: String) throws(OutboundHTTPError) {
        guard let list = curl_slist_append(headerList, line) else {
            throw OutboundHTTPError(.other, host: host, detail: "out of memory building the header list")
        }
        headerList = list
    }

    /// Whole milliseconds, at least 1 (0 would mean "no timeout" to libcurl), at most a day.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds < 86_400 else { return 86_400_000 }
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    // MARK: - Called from libcurl's callbacks

    /// Appends a body chunk; false (libcurl then fails with CURLE_WRITE_ERROR) past the limit.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard body.count + chunk.count <= maxResponseBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// Collects one header line. A status line starts a new head, so only the final one remains.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Bool {
        headBytes += line.count
        guard headBytes <= Self.maxHeadBytes else {
            exceededLimit = true
            return false
        }
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\n") || line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let text = line[0..<end]
        guard let first = text.first else { return true }  // the blank line that ends a head
        if text.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
        } else if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            if !headers.isEmpty { headers[headers.count - 1].1 += " " + Self.trimmed(text) }  // obs-fold
        } else if let colon = text.firstIndex(of: UInt8(ascii: ":")) {
            headers.append((String(decoding: text[..<colon], as: UTF8.self), Self.trimmed(text[(colon + 1)...])))
        }
        return true
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        let isSpace = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[start...last], as: UTF8.self)
    }

    // MARK: - Completion

    /// Turns libcurl's result into the response or error and completes. The handle must be out of the multi.
    func complete(_ code: CURLcode) {
        guard completion != nil else { return }
        if code == CURLE_OK {
            var status = 0
            _ = gw_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            let response = OutboundResponse(status: status, headers: headers, body: body)
            body = []
            headers = []
            finish(.success(response))
        } else {
            finish(
                .failure(.fromCurl(code, host: host, tooLarge: exceededLimit, message: String(cString: errorBuffer))))
        }
    }

    /// Calls the completion unless it already ran: every transfer completes exactly once.
    func finish(_ result: Result<OutboundResponse, OutboundHTTPError>) {
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }
}
