// Response heads: status lines, framing by status and request method, and the shared field rules.

import GatewayHTTP
import XCTest

final class HTTPResponseParserTests: XCTestCase {
    func testParsesResponseHead() throws {
        let raw = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\nSet-Cookie: a=1\r\n\r\n"
        let head = try XCTUnwrap(responseHead(raw))
        XCTAssertEqual(head.version, HTTPVersion(major: 1, minor: 1))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.framing, .length(12))
        XCTAssertTrue(head.keepAlive)
        XCTAssertEqual(head.headers.bytes, bytes(raw))
        XCTAssertEqual(fieldPairs(head.headers), ["Content-Type: text/html", "Content-Length: 12", "Set-Cookie: a=1"])
        XCTAssertEqual(text(head.headers.bytes[head.headers.fields[0].line]), "Content-Type: text/html\r\n")
    }

    func testAcceptsEmptyOrMissingReasonPhrase() {
        XCTAssertEqual(responseHead("HTTP/1.1 204 \r\n\r\n")?.status, 204)
        XCTAssertEqual(responseHead("HTTP/1.1 204\r\n\r\n")?.status, 204)
        XCTAssertEqual(responseHead("HTTP/1.1 404 Not\tFound \u{E9}\r\nContent-Length: 0\r\n\r\n")?.status, 404)
    }

    func testFramesBodilessResponsesAsNone() {
        XCTAssertEqual(
            responseHead("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", requestMethod: .head)?.framing,
            BodyFraming.none)
        XCTAssertEqual(responseHead("HTTP/1.1 204 No Content\r\n\r\n")?.framing, BodyFraming.none)
        XCTAssertEqual(
            responseHead("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")?.framing, BodyFraming.none)
        XCTAssertEqual(responseHead("HTTP/1.1 100 Continue\r\n\r\n")?.framing, BodyFraming.none)
        XCTAssertEqual(
            responseHead("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")?
                .framing, BodyFraming.none)
        XCTAssertEqual(
            responseHead("HTTP/1.1 200 Connection established\r\n\r\n", requestMethod: .connect)?.framing,
            BodyFraming.none)
    }

    func testFramesChunkedAndLengthAndUntilClose() {
        XCTAssertEqual(responseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")?.framing, .chunked)
        XCTAssertEqual(responseHead("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")?.framing, .length(0))
        let untilClose = responseHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
        XCTAssertEqual(untilClose?.framing, .untilClose)
        XCTAssertEqual(untilClose?.keepAlive, false, "a body that ends at close cannot keep the connection")
    }

    func testKeepsHTTP10ResponsesAliveOnlyWithKeepAlive() {
        XCTAssertEqual(responseHead("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")?.keepAlive, false)
        XCTAssertEqual(
            responseHead("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")?.keepAlive, true)
        XCTAssertEqual(
            responseHead("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?.keepAlive, false)
    }

    func testRejectsMalformedStatusLines() {
        let lines = [
            "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 200OK", "HTTP/1.1  200 OK", "HTTP/1.1 099 Low",
            "HTTPS/1.1 200 OK", "http/1.1 200 OK", "HTTP/1.1 2x0 OK", "HTTP/1.1", "", " HTTP/1.1 200 OK",
            "HTTP/1.10 200 OK",
        ]
        for line in lines {
            assertResponseError("\(line)\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine)
        }
        assertResponseError("HTTP/2.0 200 OK\r\n\r\n", .unsupportedVersion)
        assertResponseError("HTTP/1.1 200 O\u{1}K\r\n\r\n", .controlCharacterInHead)
    }

    func testRejectsAmbiguousResponseFraming() {
        assertResponseError(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthWithTransferEncoding)
        assertResponseError(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", .duplicateContentLength)
        assertResponseError("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", .duplicateContentLength)
        assertResponseError("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .invalidContentLength)
        assertResponseError("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding)
        assertResponseError("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding)
        assertResponseError("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10)
        // Ambiguity is rejected even where the framing would ignore it.
        assertResponseError(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthWithTransferEncoding, requestMethod: .head)
    }

    func testAppliesTheFieldLineRulesToResponses() {
        assertResponseError("HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", .whitespaceBeforeColon)
        assertResponseError("HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n", .obsFold)
        assertResponseError("HTTP/1.1 200 OK\nX-A: b\r\n\r\n", .bareLF)
        assertResponseError("HTTP/1.1 200 OK\r\nX-A: b\rc\r\n\r\n", .bareCR)
        assertResponseError("HTTP/1.1 200 OK\r\nX-A: b\u{0}\r\n\r\n", .controlCharacterInHead)
        assertResponseError("HTTP/1.1 200 OK\r\nX(A: b\r\n\r\n", .invalidHeaderName)
    }

    func testDoesNotSkipEmptyLinesBeforeAStatusLine() {
        assertResponseError("\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", .invalidStatusLine)
    }

    func testAnswers431ForOversizedResponseHeads() {
        let raw = bytes("HTTP/1.1 200 OK\r\nX-Long: " + String(repeating: "a", count: 200))
        var parser = HTTPResponseParser(maxHeadSize: 128)
        XCTAssertEqual(raw.withUnsafeBytes { parser.parse($0, requestMethod: .get) }.error, .headTooLarge)
    }

    func testParsesAnInterimResponseThenTheFinalOneAfterReset() throws {
        var parser = HTTPResponseParser()
        var buffer = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        let first = buffer.withUnsafeBytes { parser.parse($0, requestMethod: .put) }
        XCTAssertEqual(first.head?.status, 100)
        buffer.removeFirst(try XCTUnwrap(first.consumed))
        parser.reset()
        let second = buffer.withUnsafeBytes { parser.parse($0, requestMethod: .put) }
        XCTAssertEqual(second.head?.status, 201)
        XCTAssertEqual(second.consumed, buffer.count)
    }
}
