// Request heads and headers for unit tests, parsed from raw bytes the way the connection parses
// them. Shared by the proxy and sign-in test targets.
import GatewayHTTP
import XCTest

public func requestHeaders(_ fields: [(String, String)], file: StaticString = #filePath, line: UInt = #line)
    -> HTTPHeaders
{
    let raw = "GET / HTTP/1.1\r\nHost: app.example.com\r\n" + fields.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n"
    var parser = HTTPRequestParser()
    let result = Array(raw.utf8).withUnsafeBytes { parser.parse($0) }
    guard case .complete(let head, _) = result else {
        XCTFail("the test head did not parse: \(result)", file: file, line: line)
        return HTTPHeaders(bytes: [], fields: [])
    }
    return head.headers
}

public func parsedHead(_ raw: String, file: StaticString = #filePath, line: UInt = #line) -> HTTPRequestHead? {
    var parser = HTTPRequestParser(maxHeadSize: 16 * 1024)
    if case .complete(let head, _) = Array(raw.utf8).withUnsafeBytes({ parser.parse($0) }) { return head }
    XCTFail("the request did not parse", file: file, line: line)
    return nil
}
