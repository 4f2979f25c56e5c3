// Reading an upstream's response out of its bytes: interim heads, framing, limits, leftovers.
import GatewayCore
import GatewayHTTP
import XCTest

@testable import GatewayProxy

final class UpstreamResponseReaderTests: XCTestCase {
    private func buffer(_ text: String) -> ReadBuffer {
        let input = ReadBuffer()
        Array(text.utf8).withUnsafeBytes { input.append($0) }
        return input
    }

    private func add(_ text: String, to input: ReadBuffer) {
        Array(text.utf8).withUnsafeBytes { input.append($0) }
    }

    private func status(_ step: UpstreamResponseReader.HeadStep) -> Int? {
        if case .head(let head) = step { return head.status }
        return nil
    }

    private func body(_ reader: inout UpstreamResponseReader, _ input: ReadBuffer, more: () -> Bool = { true })
        throws -> (String, Bool)
    {
        var out: [UInt8] = []
        let complete = try reader.readBody(input, while: more) { out.append(contentsOf: $0) }
        return (String(decoding: out, as: UTF8.self), complete)
    }

    func testDropsInterimHeadsAndReportsTheFinalOne() throws {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        XCTAssertEqual(status(reader.readHead(input, limit: 1024)), 200)
        XCTAssertEqual(reader.phase, .body)
        let (text, complete) = try body(&reader, input)
        XCTAssertEqual(text, "hello")
        XCTAssertTrue(complete)
        XCTAssertEqual(reader.phase, .done)
    }

    func testWaitsForTheRestOfAHeadSplitAnywhere() {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 204 No")
        guard case .needMore = reader.readHead(input, limit: 1024) else { return XCTFail("expected needMore") }
        add(" Content\r\n\r\n", to: input)
        XCTAssertEqual(status(reader.readHead(input, limit: 1024)), 204)
    }

    func testAHeadLongerThanTheLimitIsTooLarge() {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 200 OK\r\nX-Long: " + String(repeating: "a", count: 100))
        guard case .tooLarge = reader.readHead(input, limit: 64) else { return XCTFail("expected tooLarge") }
    }

    func testAnInvalidStatusLineIsReported() {
        var reader = UpstreamResponseReader(requestMethod: .get)
        guard case .invalid = reader.readHead(buffer("HTTX/1.1 200 OK\r\n\r\n"), limit: 1024) else {
            return XCTFail("expected invalid")
        }
        XCTAssertEqual(reader.phase, .done)
    }

    func testA101EndsTheReaderAndLeavesTheTunnelBytes() {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nframe")
        XCTAssertEqual(status(reader.readHead(input, limit: 1024)), 101)
        XCTAssertEqual(reader.phase, .done)
        XCTAssertEqual(String(decoding: Array(input.readable), as: UTF8.self), "frame")
    }

    func testAResponseToHeadHasNoBodyWhateverItsLengthSays() throws {
        var reader = UpstreamResponseReader(requestMethod: .head)
        let input = buffer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
        XCTAssertEqual(status(reader.readHead(input, limit: 1024)), 200)
        XCTAssertEqual(try body(&reader, input).1, true)
    }

    func testDecodesNothingWhileTheClientIsFull() throws {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n")
        _ = reader.readHead(input, limit: 1024)
        let count = input.count
        let (none, complete) = try body(&reader, input, more: { false })
        XCTAssertEqual(none, "")
        XCTAssertFalse(complete)
        XCTAssertEqual(input.count, count)
        XCTAssertEqual(reader.phase, .body)
        let (all, done) = try body(&reader, input)
        XCTAssertEqual(all, "abcdef")
        XCTAssertTrue(done)
    }

    func testBytesAfterTheBodyStayInTheBuffer() throws {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")
        _ = reader.readHead(input, limit: 1024)
        XCTAssertEqual(try body(&reader, input).0, "ok")
        XCTAssertEqual(input.count, 5)
    }

    func testABodyUntilCloseEndsAtEOFAndALengthBodyDoesNot() throws {
        var untilClose = UpstreamResponseReader(requestMethod: .get)
        let a = buffer("HTTP/1.1 200 OK\r\n\r\npartial")
        _ = untilClose.readHead(a, limit: 1024)
        XCTAssertEqual(try body(&untilClose, a).1, false)
        XCTAssertTrue(untilClose.finishAtEOF())

        var length = UpstreamResponseReader(requestMethod: .get)
        let b = buffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")
        _ = length.readHead(b, limit: 1024)
        XCTAssertEqual(try body(&length, b).1, false)
        XCTAssertFalse(length.finishAtEOF())
    }

    func testAnInvalidChunkIsThrown() {
        var reader = UpstreamResponseReader(requestMethod: .get)
        let input = buffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        _ = reader.readHead(input, limit: 1024)
        XCTAssertThrowsError(try body(&reader, input))
        XCTAssertEqual(reader.phase, .done)
    }
}
