// Request heads: what a valid head parses to, and the framing and connection rules.

import GatewayHTTP
import XCTest

final class HTTPRequestParserTests: XCTestCase {
    func testParsesOriginFormRequestHead() throws {
        let raw =
            "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t/1\r\nAccept:  */*  \r\nX-Empty:\r\n\r\n"
        let head = try XCTUnwrap(requestHead(raw))
        XCTAssertEqual(head.methodString, "GET")
        XCTAssertEqual(head.methodKind, .get)
        XCTAssertEqual(text(head.headers.bytes[head.target]), "/index.html?x=1")
        XCTAssertEqual(head.pathString, "/index.html?x=1")
        XCTAssertEqual(head.version, HTTPVersion(major: 1, minor: 1))
        XCTAssertEqual(text(head.host), "example.com")
        XCTAssertNil(head.absoluteFormAuthority)
        XCTAssertEqual(head.framing, BodyFraming.none)
        XCTAssertTrue(head.keepAlive)
        XCTAssertFalse(head.expectsContinue)
        XCTAssertFalse(head.isUpgrade)
        XCTAssertEqual(head.connectionTokens, [])
        XCTAssertEqual(head.headers.bytes, bytes(raw))
        XCTAssertEqual(fieldPairs(head.headers), ["Host: example.com", "User-Agent: t/1", "Accept: */*", "X-Empty: "])
        XCTAssertEqual(text(head.headers.bytes[head.headers.fields[2].line]), "Accept:  */*  \r\n")
    }

    func testMapsMethodsCaseSensitively() throws {
        let kinds: [(String, HTTPMethodKind)] = [
            ("GET", .get), ("HEAD", .head), ("POST", .post), ("PUT", .put), ("DELETE", .delete),
            ("OPTIONS", .options), ("TRACE", .trace), ("PATCH", .patch), ("PROPFIND", .other), ("VERSION-CONTROL", .other),
        ]
        for (method, kind) in kinds {
            let head = try XCTUnwrap(requestHead("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n"))
            XCTAssertEqual(head.methodKind, kind, method)
            XCTAssertEqual(head.methodString, method)
        }
        XCTAssertTrue(HTTPMethodKind.put.isIdempotent)
        XCTAssertFalse(HTTPMethodKind.post.isIdempotent)
        XCTAssertFalse(HTTPMethodKind.patch.isIdempotent)
    }

    func testSkipsLeadingEmptyLinesAndCountsThemAsConsumed() throws {
        let raw = bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT")
        let result = parseRequest(raw)
        let head = try XCTUnwrap(result.head)
        XCTAssertEqual(result.consumed, raw.count - 4)
        XCTAssertEqual(text(head.headers.bytes[...]), "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(text(head.headers.name(at: 0)), "Host")
    }

    func testStopsAtTheEndOfTheHead() {
        let raw = bytes("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        let result = parseRequest(raw)
        XCTAssertEqual(result.consumed, raw.count - 5)
        XCTAssertEqual(result.head?.framing, .length(5))
    }

    func testWaitsForMoreBytesUntilTheHeadEnds() {
        for partial in [
            "", "GET", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\r",
        ] {
            XCTAssertTrue(parseRequest(bytes(partial)).isNeedMore, partial.debugDescription)
        }
    }

    func testFramesChunkedAndContentLengthBodies() {
        XCTAssertEqual(
            requestHead("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")?.framing, .chunked)
        XCTAssertEqual(
            requestHead("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n")?.framing, .chunked)
        XCTAssertEqual(requestHead("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")?.framing, .length(0))
        XCTAssertEqual(requestHead("POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 0042\r\n\r\n")?.framing, .length(42))
        XCTAssertEqual(
            requestHead("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999\r\n\r\n")?.framing,
            .length(999_999_999_999_999_999))
    }

    func testKeepsHTTP11AliveUnlessConnectionClose() {
        XCTAssertEqual(requestHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n")?.keepAlive, true)
        XCTAssertEqual(requestHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")?.keepAlive, false)
        XCTAssertEqual(
            requestHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n")?.keepAlive, false)
    }

    func testKeepsHTTP10AliveOnlyWithKeepAlive() {
        XCTAssertEqual(requestHead("GET / HTTP/1.0\r\n\r\n")?.keepAlive, false)
        XCTAssertEqual(requestHead("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")?.keepAlive, true)
    }

    func testDetectsExpectContinueOnlyInHTTP11() {
        XCTAssertEqual(
            requestHead("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n")?
                .expectsContinue, true)
        XCTAssertEqual(
            requestHead("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")?.expectsContinue, false)
        XCTAssertEqual(requestHead("PUT / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n")?.expectsContinue, false)
    }

    func testDetectsUpgradeOnlyWithConnectionUpgrade() {
        let upgrade = requestHead("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        XCTAssertEqual(upgrade?.isUpgrade, true)
        XCTAssertEqual(upgrade?.connectionTokens, [bytes("upgrade")])
        XCTAssertEqual(requestHead("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")?.isUpgrade, false)
        XCTAssertEqual(requestHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n")?.isUpgrade, false)
        XCTAssertEqual(
            requestHead("GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n")?.isUpgrade, false)
        // h2c (request smuggling through an upgrade) is never an upgrade the gateway honours.
        XCTAssertEqual(
            requestHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n")?
                .isUpgrade, false)
    }

    func testAcceptsHTTP10WithoutHost() {
        let head = requestHead("GET / HTTP/1.0\r\n\r\n")
        XCTAssertEqual(head?.version, HTTPVersion(major: 1, minor: 0))
        XCTAssertNil(head?.host)
    }

    func testAcceptsValidHostForms() {
        XCTAssertEqual(text(requestHead("GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n")?.host), "example.com:8080")
        XCTAssertEqual(text(requestHead("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")?.host), "[::1]:8080")
        XCTAssertEqual(text(requestHead("GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n")?.host), "10.0.0.1")
        XCTAssertEqual(text(requestHead("GET / HTTP/1.1\r\nHost:\r\n\r\n")?.host), "")
    }

    func testAllowsTabInFieldValuesAndObsTextBytes() {
        let head = requestHead("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\ttwo\r\nX-B: caf\u{E9}\r\n\r\n")
        XCTAssertEqual(head.map { fieldPairs($0.headers) }, ["Host: a", "X-A: one\ttwo", "X-B: caf\u{E9}"])
    }

    func testAcceptsHeadOfExactlyTheLimit() {
        let raw = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        XCTAssertNotNil(parseRequest(bytes(raw), maxHeadSize: raw.utf8.count).head)
        XCTAssertEqual(parseRequest(bytes(raw), maxHeadSize: raw.utf8.count - 1).error, .headTooLarge)
    }

    func testParsesAgainAfterReset() throws {
        var parser = HTTPRequestParser()
        let first = bytes("GET /one HTTP/1.1\r\nHost: a\r\n\r\n")
        let second = bytes("GET /two HTTP/1.1\r\nHost: b\r\n\r\n")
        XCTAssertEqual(first.withUnsafeBytes { parser.parse($0) }.head?.pathString, "/one")
        parser.reset()
        XCTAssertEqual(bytes("GET /\u{1}").withUnsafeBytes { parser.parse($0) }.error, .controlCharacterInHead)
        parser.reset()
        let head = try XCTUnwrap(second.withUnsafeBytes { parser.parse($0) }.head)
        XCTAssertEqual(head.pathString, "/two")
        XCTAssertEqual(text(head.host), "b")
    }
}
