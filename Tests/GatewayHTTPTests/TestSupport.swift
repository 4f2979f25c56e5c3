// Helpers that feed raw bytes to the parsers and decoder the way the connection code does.

import GatewayHTTP
import XCTest

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

func text(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }

func text(_ array: [UInt8]?) -> String? { array.map { String(decoding: $0, as: UTF8.self) } }

func parseRequest(_ raw: [UInt8], maxHeadSize: Int = 16 * 1024) -> HTTPParseResult<HTTPRequestHead> {
    var parser = HTTPRequestParser(maxHeadSize: maxHeadSize)
    return raw.withUnsafeBytes { parser.parse($0) }
}

func parseResponse(_ raw: [UInt8], requestMethod: HTTPMethodKind = .get, maxHeadSize: Int = 64 * 1024)
    -> HTTPParseResult<HTTPResponseHead>
{
    var parser = HTTPResponseParser(maxHeadSize: maxHeadSize)
    return raw.withUnsafeBytes { parser.parse($0, requestMethod: requestMethod) }
}

extension HTTPParseResult {
    var head: Head? {
        if case .complete(let head, _) = self { return head }
        return nil
    }
    var consumed: Int? {
        if case .complete(_, let consumed) = self { return consumed }
        return nil
    }
    var error: HTTPParseError? {
        if case .failure(let error) = self { return error }
        return nil
    }
    var isNeedMore: Bool {
        if case .needMore = self { return true }
        return false
    }
}

/// The field lines of a head as (name, value) strings, in order.
func fieldPairs(_ headers: HTTPHeaders) -> [String] {
    (0..<headers.count).map { "\(text(headers.name(at: $0))): \(text(headers.value(at: $0)))" }
}

func assertRequestError(
    _ raw: String, _ expected: HTTPParseError, maxHeadSize: Int = 16 * 1024,
    file: StaticString = #filePath, line: UInt = #line
) {
    let result = parseRequest(bytes(raw), maxHeadSize: maxHeadSize)
    XCTAssertEqual(result.error, expected, "for \(raw.debugDescription)", file: file, line: line)
}

func assertResponseError(
    _ raw: String, _ expected: HTTPParseError, requestMethod: HTTPMethodKind = .get,
    file: StaticString = #filePath, line: UInt = #line
) {
    let result = parseResponse(bytes(raw), requestMethod: requestMethod)
    XCTAssertEqual(result.error, expected, "for \(raw.debugDescription)", file: file, line: line)
}

func requestHead(_ raw: String, file: StaticString = #filePath, line: UInt = #line) -> HTTPRequestHead? {
    let result = parseRequest(bytes(raw))
    guard let head = result.head else {
        XCTFail("expected a complete head for \(raw.debugDescription), got \(result)", file: file, line: line)
        return nil
    }
    XCTAssertEqual(result.consumed, raw.utf8.count, file: file, line: line)
    return head
}

func responseHead(
    _ raw: String, requestMethod: HTTPMethodKind = .get, file: StaticString = #filePath, line: UInt = #line
) -> HTTPResponseHead? {
    let result = parseResponse(bytes(raw), requestMethod: requestMethod)
    guard let head = result.head else {
        XCTFail("expected a complete head for \(raw.debugDescription), got \(result)", file: file, line: line)
        return nil
    }
    XCTAssertEqual(result.consumed, raw.utf8.count, file: file, line: line)
    return head
}

/// Runs a body decoder over `input` in one call; returns the payload, bytes consumed, or the error.
func decodeBody(_ input: [UInt8], framing: BodyFraming, maxTrailerSize: Int = 16 * 1024)
    -> (data: [UInt8], consumed: Int, complete: Bool, error: HTTPParseError?)
{
    var decoder = HTTPBodyDecoder(framing: framing, maxTrailerSize: maxTrailerSize)
    var data: [UInt8] = []
    let result = input.withUnsafeBytes { buffer in
        Result { () throws(HTTPParseError) in try decoder.decode(buffer) { data.append(contentsOf: $0) } }
    }
    switch result {
    case .success(let consumed): return (data, consumed, decoder.isComplete, nil)
    case .failure(let error): return (data, -1, false, error)
    }
}
