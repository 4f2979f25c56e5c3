// libFuzzer entry: arbitrary bytes through both head parsers and the chunked decoder, whole and split.
//
// Compiled together with Sources/GatewayHTTP/*.swift by Fuzz/run.sh, so it uses the module's API
// without an import. A mismatch between whole and split feeding is a crash, like any other bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let input = UnsafeRawBufferPointer(start: data, count: size)
    // The first byte picks a split point and a request method; the rest is the message.
    let control = input[0]
    let message = UnsafeRawBufferPointer(rebasing: input[1...])
    let split = message.isEmpty ? 0 : Int(control) % (message.count + 1)
    let methods: [HTTPMethodKind] = [.get, .head, .post, .connect]
    let method = methods[Int(control >> 6)]

    let request = fuzzRequest(message, split: split)
    let response = fuzzResponse(message, split: split, method: method)
    // Whatever follows a head is a body in the framing the head chose; also try the bytes as chunked.
    if let (framing, consumed) = request {
        fuzzBody(UnsafeRawBufferPointer(rebasing: message[consumed...]), framing: framing, split: split)
    }
    if let (framing, consumed) = response {
        fuzzBody(UnsafeRawBufferPointer(rebasing: message[consumed...]), framing: framing, split: split)
    }
    fuzzBody(message, framing: .chunked, split: split)
    return 0
}

/// Parses whole and in two calls; both must agree. Returns the framing and consumed count of a head.
private func fuzzRequest(_ message: UnsafeRawBufferPointer, split: Int) -> (BodyFraming, Int)? {
    var whole = HTTPRequestParser(maxHeadSize: 4096)
    let a = summarize(whole.parse(message))
    var parts = HTTPRequestParser(maxHeadSize: 4096)
    var b = summarize(parts.parse(UnsafeRawBufferPointer(rebasing: message[..<split])))
    if b == "needMore" { b = summarize(parts.parse(message)) }
    guard a == b else { fatalError("request: whole \(a) != split at \(split): \(b)") }
    var again = HTTPRequestParser(maxHeadSize: 4096)
    if case .complete(let head, let consumed) = again.parse(message) {
        check(head.headers, consumed: consumed, available: message.count)
        precondition(head.framing != .untilClose, "a request framed until close")
        precondition(
            head.method.upperBound <= head.headers.bytes.count && head.target.upperBound <= head.headers.bytes.count)
        return (head.framing, consumed)
    }
    return nil
}

private func fuzzResponse(_ message: UnsafeRawBufferPointer, split: Int, method: HTTPMethodKind) -> (BodyFraming, Int)?
{
    var whole = HTTPResponseParser(maxHeadSize: 4096)
    let a = summarize(whole.parse(message, requestMethod: method))
    var parts = HTTPResponseParser(maxHeadSize: 4096)
    var b = summarize(parts.parse(UnsafeRawBufferPointer(rebasing: message[..<split]), requestMethod: method))
    if b == "needMore" { b = summarize(parts.parse(message, requestMethod: method)) }
    guard a == b else { fatalError("response: whole \(a) != split at \(split): \(b)") }
    var again = HTTPResponseParser(maxHeadSize: 4096)
    if case .complete(let head, let consumed) = again.parse(message, requestMethod: method) {
        check(head.headers, consumed: consumed, available: message.count)
        precondition((100...999).contains(head.status), "status \(head.status)")
        return (head.framing, consumed)
    }
    return nil
}

/// Decodes whole and in two calls; the payload, consumed count and error must agree.
private func fuzzBody(_ body: UnsafeRawBufferPointer, framing: BodyFraming, split: Int) {
    /// `ends` are how far the received bytes reach at each call; unconsumed bytes are offered again.
    func run(_ ends: [Int]) -> String {
        var decoder = HTTPBodyDecoder(framing: framing, maxTrailerSize: 512)
        var payload: [UInt8] = []
        var consumed = 0
        for end in ends {
            do {
                consumed += try decoder.decode(UnsafeRawBufferPointer(rebasing: body[consumed..<end])) {
                    payload.append(contentsOf: $0)
                }
            } catch {
                return "error \(error) after \(payload.count) payload bytes"
            }
            precondition(consumed <= end, "consumed past the input")
            if decoder.isComplete { break }
        }
        let eof = decoder.isComplete ? "complete" : decoder.finishAtEOF() ? "complete at EOF" : "truncated"
        return "consumed \(consumed) payload \(payload) \(eof)"
    }
    let a = run([body.count])
    let b = run([Swift.min(split, body.count), body.count])
    guard a == b else { fatalError("body \(framing): whole \(a) != split at \(split): \(b)") }
}

private func summarize<Head>(_ result: HTTPParseResult<Head>) -> String {
    switch result {
    case .needMore: return "needMore"
    case .failure(let error): return "failure \(error)"
    case .complete(_, let consumed): return "complete \(consumed)"
    }
}

private func check(_ headers: HTTPHeaders, consumed: Int, available: Int) {
    precondition(consumed <= available && headers.bytes.count <= consumed, "consumed \(consumed) of \(available)")
    for field in headers.fields {
        precondition(field.line.upperBound <= headers.bytes.count, "field line out of the head")
        precondition(field.name.lowerBound == field.line.lowerBound && !field.name.isEmpty, "field name")
        precondition(
            field.value.lowerBound >= field.name.upperBound && field.value.upperBound <= field.line.upperBound - 2)
    }
    precondition(headers.bytes.suffix(4).elementsEqual([13, 10, 13, 10]), "head does not end with CRLF CRLF")
}
