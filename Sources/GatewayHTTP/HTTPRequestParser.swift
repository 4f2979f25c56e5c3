// Incremental, strict parser for request heads (RFC 9112 §2-§3, §5-§6).

public struct HTTPRequestParser: Sendable {
    private var scanner: HTTPHeadScanner
    private var requestLine: HTTPRequestLine?
    private var fields: [HTTPHeaderField] = []
    private var message = HTTPMessageFields()
    private var finished = false

    public init(maxHeadSize: Int = 16 * 1024) {
        scanner = HTTPHeadScanner(maxHeadSize: maxHeadSize, skipsLeadingEmptyLines: true)
    }

    /// `buffer` holds every unconsumed byte received so far, starting where this message starts; the caller
    /// appends and calls again on `.needMore`. The parser remembers how far it scanned, so repeated calls are
    /// not quadratic. `consumed` counts leading empty lines (CRLF) that were skipped (RFC 9112 §2.2) plus the head.
    /// After `.complete` or `.failure`, call `reset()` before the next message.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) -> HTTPParseResult<HTTPRequestHead> {
        precondition(!finished, "HTTPRequestParser.parse after a complete head or a failure: call reset() first")
        do throws(HTTPParseError) {
            while true {
                switch try scanner.next(buffer) {
                case .needMore:
                    return .needMore
                case .line(let line):
                    let headStart = scanner.headStart
                    guard requestLine != nil else {
                        requestLine = try HTTPRequestLine(buffer, line, headStart: headStart)
                        fields.reserveCapacity(HTTPHeaderField.typicalCount)
                        continue
                    }
                    let (name, value) = try HTTPFieldLine.parse(buffer, line, controlsChecked: true)
                    try message.observe(buffer, name: name, value: value, lineEnd: line.upperBound, isRequest: true)
                    fields.append(
                        HTTPHeaderField(
                            name: (name.lowerBound &- headStart)..<(name.upperBound &- headStart),
                            value: (value.lowerBound &- headStart)..<(value.upperBound &- headStart),
                            line: (line.lowerBound &- headStart)..<(line.upperBound &+ 2 &- headStart)))
                case .end(let end):
                    finished = true
                    return .complete(try makeHead(buffer, end: end), consumed: end)
                }
            }
        } catch {
            finished = true
            return .failure(error)
        }
    }

    public mutating func reset() {
        scanner.reset()
        requestLine = nil
        fields = []
        message = HTTPMessageFields()
        finished = false
    }

    /// The rules that need the whole head.
    private func makeHead(_ buffer: UnsafeRawBufferPointer, end: Int) throws(HTTPParseError) -> HTTPRequestHead {
        guard let line = requestLine else { preconditionFailure("scanner ended a head without a start line") }
        let framing: BodyFraming
        if message.sawTransferEncoding {
            guard message.contentLength == nil else { throw .contentLengthWithTransferEncoding }
            guard line.version == .http1_1 else { throw .transferEncodingInHTTP10 }
            framing = .chunked
        } else if let length = message.contentLength {
            framing = .length(length)
        } else {
            framing = .none
        }
        if line.version == .http1_1 && message.hostCount == 0 { throw .missingHost }
        let isHTTP11 = line.version == .http1_1
        let bytes = Array(UnsafeRawBufferPointer(rebasing: buffer[scanner.headStart..<end]))
        return HTTPRequestHead(
            headers: HTTPHeaders(bytes: bytes, fields: fields),
            method: line.method,
            methodKind: line.methodKind,
            target: line.target,
            version: line.version,
            path: line.path,
            absoluteFormAuthority: line.absoluteFormAuthority,
            host: line.absoluteFormAuthority ?? message.host,
            framing: framing,
            keepAlive: message.keepAlive(line.version),
            // RFC 9110 §10.1.1 and §7.8: both are ignored in HTTP/1.0 requests.
            expectsContinue: isHTTP11 && message.expectsContinue,
            connectionTokens: message.connectionTokens,
            isUpgrade: isHTTP11 && message.sawWebSocketUpgrade && message.connectionUpgrade)
    }
}
