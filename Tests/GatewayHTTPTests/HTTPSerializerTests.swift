// Exact bytes of the responses and chunk framing the gateway writes itself.

import GatewayHTTP
import XCTest

final class HTTPSerializerTests: XCTestCase {
    func testWritesACompleteKeepAliveResponse() {
        let out = HTTPSerializer.response(
            status: 200, headers: [("Content-Type", "text/plain"), ("X-A", "b")], body: bytes("hi"), keepAlive: true)
        XCTAssertEqual(
            text(out[...]), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: b\r\nContent-Length: 2\r\n\r\nhi")
    }

    func testAddsConnectionCloseWhenNotKeepingAlive() {
        let out = HTTPSerializer.response(status: 404, headers: [], body: [], keepAlive: false)
        XCTAssertEqual(text(out[...]), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    func testOmitsLengthAndBodyWhereTheStatusForbidsThem() {
        XCTAssertEqual(
            text(HTTPSerializer.response(status: 204, headers: [], body: bytes("x"), keepAlive: true)[...]),
            "HTTP/1.1 204 No Content\r\n\r\n")
        XCTAssertEqual(
            text(HTTPSerializer.response(status: 304, headers: [("ETag", "\"1\"")], body: [], keepAlive: true)[...]),
            "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n")
        XCTAssertEqual(
            text(HTTPSerializer.response(status: 100, headers: [], body: [], keepAlive: true)[...]),
            "HTTP/1.1 100 Continue\r\n\r\n")
    }

    func testDropsControlBytesSoValuesCannotInjectFields() {
        let out = HTTPSerializer.response(
            status: 302, headers: [("Location", "/a\r\nSet-Cookie: x=1"), ("Bad\r\nName", "v\u{0}\tw")], body: [],
            keepAlive: true)
        XCTAssertEqual(
            text(out[...]),
            "HTTP/1.1 302 Found\r\nLocation: /aSet-Cookie: x=1\r\nBadName: v\tw\r\nContent-Length: 0\r\n\r\n")
    }

    func testNamesReasonPhrases() {
        XCTAssertEqual(HTTPSerializer.reasonPhrase(200), "OK")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(431), "Request Header Fields Too Large")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(502), "Bad Gateway")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(599), "Unknown")
        XCTAssertEqual(
            text(HTTPSerializer.response(status: 599, headers: [], body: [], keepAlive: true)[...]),
            "HTTP/1.1 599 Unknown\r\nContent-Length: 0\r\n\r\n")
    }

    func testWritesChunkFraming() {
        let cases: [(Int, String)] = [
            (0, "0\r\n"), (1, "1\r\n"), (15, "f\r\n"), (16, "10\r\n"), (255, "ff\r\n"),
            (4096, "1000\r\n"), (0x1234_abcd, "1234abcd\r\n"), (Int.max, "7fffffffffffffff\r\n"),
        ]
        for (size, expected) in cases {
            var out = bytes("x")
            HTTPSerializer.appendChunkHeader(size, to: &out)
            XCTAssertEqual(text(out[...]), "x" + expected)
        }
        XCTAssertEqual(HTTPSerializer.chunkTerminator, bytes("\r\n"))
        XCTAssertEqual(HTTPSerializer.lastChunk, bytes("0\r\n\r\n"))
    }

    func testSerializedResponsesParseBack() throws {
        let out = HTTPSerializer.response(
            status: 401, headers: [("WWW-Authenticate", "Bearer")], body: bytes("{}"), keepAlive: false)
        let result = parseResponse(out)
        let head = try XCTUnwrap(result.head)
        XCTAssertEqual(head.status, 401)
        XCTAssertEqual(head.framing, .length(2))
        XCTAssertFalse(head.keepAlive)
        XCTAssertEqual(result.consumed, out.count - 2)
        var chunked: [UInt8] = []
        HTTPSerializer.appendChunkHeader(3, to: &chunked)
        chunked += bytes("abc") + HTTPSerializer.chunkTerminator + HTTPSerializer.lastChunk
        XCTAssertEqual(text(decodeBody(chunked, framing: .chunked).data[...]), "abc")
    }
}
