// Feeding a stream one byte at a time, or split at any point, gives the same heads and bodies as all at once.

import GatewayHTTP
import XCTest

/// What a connection saw: each head (summarised), each body, and the error that stopped it.
private struct Exchange: Equatable {
    var heads: [String] = []
    var bodies: [String] = []
    var error: HTTPParseError?
    var leftover: [UInt8] = []
}

private enum HeadStep {
    case needMore
    case complete(summary: String, framing: BodyFraming, consumed: Int)
    case failure(HTTPParseError)

    init<Head>(_ result: HTTPParseResult<Head>, summary: (Head) -> (String, BodyFraming)) {
        switch result {
        case .needMore: self = .needMore
        case .failure(let error): self = .failure(error)
        case .complete(let head, let consumed):
            let (text, framing) = summary(head)
            self = .complete(summary: text, framing: framing, consumed: consumed)
        }
    }
}

private protocol HeadParsing {
    mutating func step(_ buffer: UnsafeRawBufferPointer) -> HeadStep
    mutating func reset()
}

private struct RequestSide: HeadParsing {
    var parser = HTTPRequestParser()
    mutating func step(_ buffer: UnsafeRawBufferPointer) -> HeadStep {
        HeadStep(parser.parse(buffer)) { head in
            let summary =
                "\(head.methodString) \(head.pathString) \(head.version) host=\(text(head.host) ?? "-") "
                + "\(head.framing) keepAlive=\(head.keepAlive) \(fieldPairs(head.headers))"
            return (summary, head.framing)
        }
    }
    mutating func reset() { parser.reset() }
}

private struct ResponseSide: HeadParsing {
    var parser = HTTPResponseParser()
    mutating func step(_ buffer: UnsafeRawBufferPointer) -> HeadStep {
        HeadStep(parser.parse(buffer, requestMethod: .get)) { head in
            (
                "\(head.status) \(head.version) \(head.framing) keepAlive=\(head.keepAlive) \(fieldPairs(head.headers))",
                head.framing
            )
        }
    }
    mutating func reset() { parser.reset() }
}

/// Plays the connection's part: keep unconsumed bytes, parse a head, decode its body, repeat.
private func drive<Side: HeadParsing>(_ side: Side, _ parts: [[UInt8]]) -> Exchange {
    var side = side
    var exchange = Exchange()
    var pending: [UInt8] = []
    var decoder: HTTPBodyDecoder?
    for part in parts {
        pending += part
        progress: while true {
            if var body = decoder {
                var data: [UInt8] = []
                let result = pending.withUnsafeBytes { buffer in
                    Result { () throws(HTTPParseError) in try body.decode(buffer) { data += $0 } }
                }
                // Payload delivered before an error still reached the peer.
                exchange.bodies[exchange.bodies.count - 1] += String(decoding: data, as: UTF8.self)
                switch result {
                case .failure(let error):
                    exchange.error = error
                    return exchange
                case .success(let consumed):
                    pending.removeFirst(consumed)
                }
                guard body.isComplete else {
                    decoder = body
                    break progress
                }
                decoder = nil
                side.reset()
            } else {
                switch pending.withUnsafeBytes({ side.step($0) }) {
                case .needMore:
                    break progress
                case .failure(let error):
                    exchange.error = error
                    return exchange
                case .complete(let summary, let framing, let consumed):
                    exchange.heads.append(summary)
                    exchange.bodies.append("")
                    pending.removeFirst(consumed)
                    decoder = HTTPBodyDecoder(framing: framing)
                }
            }
        }
    }
    exchange.leftover = pending
    return exchange
}

final class SplitFeedingTests: XCTestCase {
    private func assertSplitInvariant<Side: HeadParsing>(
        _ side: Side, _ raw: String, file: StaticString = #filePath, line: UInt = #line
    ) -> Exchange {
        let input = bytes(raw)
        let whole = drive(side, [input])
        let oneByOne = drive(side, input.map { [$0] })
        XCTAssertEqual(oneByOne, whole, "one byte at a time", file: file, line: line)
        for split in 0...input.count {
            let twoParts = drive(side, [Array(input[..<split]), Array(input[split...])])
            XCTAssertEqual(twoParts, whole, "split at \(split)", file: file, line: line)
        }
        return whole
    }

    func testRequestWithChunkedBodyThenPipelinedRequest() {
        let raw =
            "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=\"v\"\r\nhello\r\n1 ; x\r\n!\r\n0\r\n\r\n" + "GET /next HTTP/1.1\r\nHost: b\r\n\r\n"
        let result = assertSplitInvariant(RequestSide(), raw)
        XCTAssertEqual(
            result.heads,
            [
                "POST /upload HTTP/1.1 host=a chunked keepAlive=true [\"Host: a\", \"Transfer-Encoding: chunked\"]",
                "GET /next HTTP/1.1 host=b none keepAlive=true [\"Host: b\"]",
            ])
        XCTAssertEqual(result.bodies, ["hello!", ""])
        XCTAssertNil(result.error)
        XCTAssertEqual(result.leftover, [])
    }

    func testResponseWithChunkedBodyAndTrailers() {
        let raw =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\nX-Sum:  1 \r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.0 200 OK\r\n\r\ntail"
        let result = assertSplitInvariant(ResponseSide(), raw)
        XCTAssertEqual(
            result.heads,
            [
                "200 HTTP/1.1 chunked keepAlive=true [\"Transfer-Encoding: chunked\"]",
                "204 HTTP/1.1 none keepAlive=true []",
                "200 HTTP/1.0 untilClose keepAlive=false []",
            ])
        XCTAssertEqual(result.bodies, ["Wikipedia in\r\n\r\nchunks.", "", "tail"])
        XCTAssertNil(result.error)
    }

    func testPipelinedRequests() {
        let raw =
            "\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
            + "DELETE http://c.example/c?d HTTP/1.0\r\n\r\n"
            + "GET /partial HTTP/1.1\r\nHo"
        let result = assertSplitInvariant(RequestSide(), raw)
        XCTAssertEqual(
            result.heads,
            [
                "GET /a HTTP/1.1 host=a none keepAlive=true [\"Host: a\"]",
                "POST /b HTTP/1.1 host=a length(3) keepAlive=true [\"Host: a\", \"Content-Length: 3\"]",
                "DELETE /c?d HTTP/1.0 host=c.example none keepAlive=false []",
            ])
        XCTAssertEqual(result.bodies, ["", "xyz", ""])
        XCTAssertEqual(result.leftover, bytes("GET /partial HTTP/1.1\r\nHo"))
    }

    func testPipelinedRequestWithAnErrorFailsTheSameAtEverySplit() {
        let raw =
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3\r\nabc\r\nzz\r\n"
        let result = assertSplitInvariant(RequestSide(), raw)
        XCTAssertEqual(result.heads.count, 2)
        XCTAssertEqual(result.bodies, ["", "abc"])
        XCTAssertEqual(result.error, .invalidChunkSize)
    }
}
