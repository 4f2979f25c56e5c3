// Body framing: Content-Length, chunked (sizes, extensions, trailers), until-close and truncation.

import GatewayHTTP
import XCTest

final class HTTPBodyDecoderTests: XCTestCase {
    func testCompletesAtOnceWithoutABody() {
        for framing in [BodyFraming.none, .length(0)] {
            var decoder = HTTPBodyDecoder(framing: framing)
            XCTAssertTrue(decoder.isComplete)
            XCTAssertEqual(decodeBody(bytes("GET"), framing: framing).consumed, 0)
            XCTAssertTrue(decoder.finishAtEOF())
        }
    }

    func testDecodesContentLengthAndStopsAtTheEnd() {
        let result = decodeBody(bytes("helloGET / HTTP/1.1"), framing: .length(5))
        XCTAssertEqual(text(result.data[...]), "hello")
        XCTAssertEqual(result.consumed, 5)
        XCTAssertTrue(result.complete)
    }

    func testDecodesContentLengthAcrossCalls() throws {
        var decoder = HTTPBodyDecoder(framing: .length(7))
        var data: [UInt8] = []
        for part in ["hel", "lo", "!!", "extra"] {
            let consumed = try bytes(part).withUnsafeBytes { (buffer) throws(HTTPParseError) in
                try decoder.decode(buffer) { data.append(contentsOf: $0) }
            }
            XCTAssertEqual(consumed, part == "extra" ? 0 : part.utf8.count)
        }
        XCTAssertEqual(text(data[...]), "hello!!")
        XCTAssertTrue(decoder.isComplete)
    }

    func testDecodesChunkedAndStopsAtTheEnd() {
        let raw = bytes("5\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\n\r\nNEXT")
        let result = decodeBody(raw, framing: .chunked)
        XCTAssertNil(result.error)
        XCTAssertEqual(text(result.data[...]), "hello world0123456789")
        XCTAssertEqual(result.consumed, raw.count - 4)
        XCTAssertTrue(result.complete)
    }

    func testAcceptsChunkExtensions() {
        let lines = [
            "5;a", "5;a=b", "5 ; a = b ; c", "5;a=\"quoted; \\\"value\\\"\";b=c", "5\t;\ta\t=\t\"\"", "5;a;b;c=d",
            "5;a=\"x\" ;b",
        ]
        for line in lines {
            let result = decodeBody(bytes("\(line)\r\nhello\r\n0;last=1\r\n\r\n"), framing: .chunked)
            XCTAssertNil(result.error, line)
            XCTAssertEqual(text(result.data[...]), "hello", line)
        }
    }

    func testRejectsInvalidChunkExtensions() {
        let lines = [
            "5;", "5;=b", "5;a=", "5;a=b c", "5;a=\"open", "5;a@b", "5;a \r", "5;a=b ", "5;a=\"x\"y", "5;a=\"\u{1}\"",
            "5;a=b;", "5;" + String(repeating: "a", count: 5000),
        ]
        for line in lines {
            let raw = line.hasSuffix("\r") ? "\(line)\nhello\r\n0\r\n\r\n" : "\(line)\r\nhello\r\n0\r\n\r\n"
            XCTAssertEqual(decodeBody(bytes(raw), framing: .chunked).error, .invalidChunkExtension, line)
        }
    }

    func testRejectsInvalidChunkSizes() {
        for size in ["", "g", "0x5", " 5", "5 ", "-5", "+5", "5\t", "10000000000000000", "5 x"] {
            XCTAssertEqual(
                decodeBody(bytes("\(size)\r\nhello\r\n0\r\n\r\n"), framing: .chunked).error, .invalidChunkSize, size)
        }
        let sixteen = decodeBody(bytes("0000000000000005\r\nhello\r\n0\r\n\r\n"), framing: .chunked)
        XCTAssertEqual(text(sixteen.data[...]), "hello")
        XCTAssertEqual(decodeBody(bytes("fffffffffffffff"), framing: .chunked).error, nil, "a huge size is fine")
    }

    func testRejectsChunkDataWithoutCRLF() {
        XCTAssertEqual(decodeBody(bytes("5\r\nhelloX\r\n0\r\n\r\n"), framing: .chunked).error, .invalidChunkData)
        XCTAssertEqual(decodeBody(bytes("5\r\nhello\n0\r\n\r\n"), framing: .chunked).error, .bareLF)
        XCTAssertEqual(decodeBody(bytes("5\r\nhello\rX0\r\n\r\n"), framing: .chunked).error, .bareCR)
    }

    func testRejectsBareCRAndLFInChunkFraming() {
        XCTAssertEqual(decodeBody(bytes("5\nhello\r\n0\r\n\r\n"), framing: .chunked).error, .bareLF)
        XCTAssertEqual(decodeBody(bytes("5\rhello\r\n0\r\n\r\n"), framing: .chunked).error, .bareCR)
        XCTAssertEqual(decodeBody(bytes("5;a\nhello\r\n0\r\n\r\n"), framing: .chunked).error, .bareLF)
        XCTAssertEqual(decodeBody(bytes("0\r\n\n"), framing: .chunked).error, .bareLF)
        XCTAssertEqual(decodeBody(bytes("0\r\n\rX"), framing: .chunked).error, .bareCR)
        XCTAssertEqual(decodeBody(bytes("0\r\nX: a\nb"), framing: .chunked).error, .bareLF)
    }

    func testParsesAndDiscardsTrailers() {
        let raw = bytes("3\r\nabc\r\n0\r\nX-Checksum: 123\r\nX-Other:\tv \r\n\r\nNEXT")
        let result = decodeBody(raw, framing: .chunked)
        XCTAssertEqual(text(result.data[...]), "abc")
        XCTAssertEqual(result.consumed, raw.count - 4)
        XCTAssertTrue(result.complete)
    }

    func testRejectsMalformedTrailersLikeHeaderFields() {
        let cases: [(String, HTTPParseError)] = [
            ("X-A : b", .whitespaceBeforeColon), (" folded", .obsFold), ("X(A: b", .invalidHeaderName),
            ("X-A: b\u{0}", .controlCharacterInHead), ("NoColon", .invalidHeaderName),
        ]
        for (line, error) in cases {
            XCTAssertEqual(decodeBody(bytes("0\r\n\(line)\r\n\r\n"), framing: .chunked).error, error, line)
        }
    }

    func testRejectsTrailersOverTheLimit() {
        let raw = bytes("0\r\nX-A: " + String(repeating: "a", count: 40) + "\r\n\r\n")
        XCTAssertEqual(decodeBody(raw, framing: .chunked, maxTrailerSize: 32).error, .trailerTooLarge)
        XCTAssertNil(decodeBody(raw, framing: .chunked, maxTrailerSize: 64).error)
        let manyLines = bytes("0\r\n" + String(repeating: "X: a\r\n", count: 10) + "\r\n")
        XCTAssertEqual(decodeBody(manyLines, framing: .chunked, maxTrailerSize: 32).error, .trailerTooLarge)
    }

    func testKeepsFailingAfterAnError() throws {
        var decoder = HTTPBodyDecoder(framing: .chunked)
        for _ in 0..<2 {
            let result = bytes("zz\r\n").withUnsafeBytes { buffer in
                Result { () throws(HTTPParseError) in try decoder.decode(buffer) { _ in } }
            }
            XCTAssertThrowsError(try result.get()) { XCTAssertEqual($0 as? HTTPParseError, .invalidChunkSize) }
        }
    }

    func testDecodesUntilCloseAndCompletesAtEOF() throws {
        var decoder = HTTPBodyDecoder(framing: .untilClose)
        var data: [UInt8] = []
        for part in ["abc", "", "def"] {
            let consumed = try bytes(part).withUnsafeBytes { (buffer) throws(HTTPParseError) in
                try decoder.decode(buffer) { data.append(contentsOf: $0) }
            }
            XCTAssertEqual(consumed, part.utf8.count)
        }
        XCTAssertFalse(decoder.isComplete)
        XCTAssertTrue(decoder.finishAtEOF())
        XCTAssertTrue(decoder.isComplete)
        XCTAssertEqual(text(data[...]), "abcdef")
    }

    func testReportsTruncatedBodiesAtEOF() throws {
        let cases: [(BodyFraming, String)] = [
            (.length(10), "hello"), (.chunked, "5\r\nhel"), (.chunked, "5\r\nhello\r\n"), (.chunked, "0\r\n"),
            (.chunked, "0\r\nX: a\r\n"),
        ]
        for (framing, input) in cases {
            var decoder = HTTPBodyDecoder(framing: framing)
            _ = try bytes(input).withUnsafeBytes { (buffer) throws(HTTPParseError) in
                try decoder.decode(buffer) { _ in }
            }
            XCTAssertFalse(decoder.finishAtEOF(), input)
            XCTAssertFalse(decoder.isComplete, input)
        }
    }
}
