// Incremental, strict parser for response heads (RFC 9112 §4-§6).

public struct HTTPResponseParser: Sendable {
    private var scanner: HTTPHeadScanner
    private var statusLine: (version: HTTPVersion, status: Int)?
    private var fields: [HTTPHeaderField] = []
    private var message = HTTPMessageFields()
    private var finished = false

    public init(maxHeadSize: Int = 64 * 1024) {
        scanner = HTTPHeadScanner(maxHeadSize: maxHeadSize, skipsLeadingEmptyLines: false)
    }

    /// Same contract as `HTTPRequestParser.parse`. `requestMethod` decides framing: a response to HEAD,
    /// and a 2xx to CONNECT, has no body whatever its fields say.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer, requestMethod: HTTPMethodKind)
        -> HTTPParseResult<HTTPResponseHead>
    {
        precondition(!finished, "HTTPResponseParser.parse after a complete head or a failure: call reset() first")
        do throws(HTTPParseError) {
            while true {
                switch try scanner.next(buffer) {
                case .needMore:
                    return .needMore
                case .line(let line):
                    guard statusLine != nil else {
                        statusLine = try Self.parseStatusLine(buffer, line)
                        fields.reserveCapacity(HTTPHeaderField.typicalCount)
                        continue
                    }
                    let (name, value) = try HTTPFieldLine.parse(buffer, line, controlsChecked: true)
                    try message.observe(buffer, name: name, value: value, lineEnd: line.upperBound, isRequest: false)
                    fields.append(
                        HTTPHeaderField(name: name, value: value, line: line.lowerBound..<(line.upperBound &+ 2)))
                case .end(let end):
                    finished = true
                    return .complete(try makeHead(buffer, end: end, requestMethod: requestMethod), consumed: end)
                }
            }
        } catch {
            finished = true
            return .failure(error)
        }
    }

    public mutating func reset() {
        scanner.reset()
        statusLine = nil
        fields = []
        message = HTTPMessageFields()
        finished = false
    }

    /// `HTTP-version SP 3DIGIT SP [reason-phrase]`; the SP before an empty reason may be missing, as
    /// RFC 9112 §4 asks clients to tolerate.
    private static func parseStatusLine(_ buffer: UnsafeRawBufferPointer, _ line: Range<Int>)
        throws(HTTPParseError) -> (version: HTTPVersion, status: Int)
    {
        let s = line.lowerBound
        guard line.count >= 12, buffer[s &+ 8] == HTTPBytes.sp else { throw .invalidStatusLine }
        let version: HTTPVersion
        do throws(HTTPParseError) {
            version = try HTTPVersion.parse(buffer, s..<(s &+ 8))
        } catch {
            throw error == .unsupportedVersion ? error : .invalidStatusLine
        }
        let d0 = buffer[s &+ 9] &- 0x30
        let d1 = buffer[s &+ 10] &- 0x30
        let d2 = buffer[s &+ 11] &- 0x30
        guard d0 >= 1, d0 <= 9, d1 <= 9, d2 <= 9 else { throw .invalidStatusLine }
        // The reason phrase is anything the scanner let through (HTAB, SP, VCHAR, obs-text).
        if line.count > 12 && buffer[s &+ 12] != HTTPBytes.sp { throw .invalidStatusLine }
        return (version, Int(d0) * 100 + Int(d1) * 10 + Int(d2))
    }

    /// RFC 9112 §6.3, in its order of precedence.
    private func makeHead(_ buffer: UnsafeRawBufferPointer, end: Int, requestMethod: HTTPMethodKind)
        throws(HTTPParseError) -> HTTPResponseHead
    {
        guard let (version, status) = statusLine else {
            preconditionFailure("scanner ended a head without a start line")
        }
        if message.sawTransferEncoding {
            guard message.contentLength == nil else { throw .contentLengthWithTransferEncoding }
            guard version == .http1_1 else { throw .transferEncodingInHTTP10 }
        }
        let framing: BodyFraming
        if requestMethod == .head || status < 200 || status == 204 || status == 304
            || (requestMethod == .connect && status < 300)
        {
            framing = .none
        } else if message.sawTransferEncoding {
            framing = .chunked
        } else if let length = message.contentLength {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        return HTTPResponseHead(
            headers: HTTPHeaders(bytes: Array(UnsafeRawBufferPointer(rebasing: buffer[0..<end])), fields: fields),
            version: version,
            status: status,
            framing: framing,
            keepAlive: framing != .untilClose && message.keepAlive(version),
            connectionTokens: message.connectionTokens)
    }
}
