// The machine's proxied events: each outcome of the upstream turned into one action.

import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class ExchangeMachineUpstreamTests: XCTestCase {
    private typealias Machine = ExchangeMachine
    private let timeouts = ExchangeMachine.Timeouts(header: 10, idle: 100, body: 1000)

    private func proxying(_ raw: String, websocketAccept: [UInt8]? = nil) throws -> Machine {
        let head = try XCTUnwrap(parsedHead(raw))
        var e = Exchange(head: head, start: 0, clientAddress: "192.0.2.1")
        e.target = canonicalTarget(head.path)
        e.websocketAccept = websocketAccept
        e.forwardedHead = bytes("GET / HTTP/1.1\r\n\r\n")
        let route = try XCTUnwrap(Router(config: try testConfiguration()).match(bytes("/public/x")[...]))
        var m = Machine(timeouts: timeouts, now: 0)
        _ = m.headParsed(e, decision: .proxy(route), draining: false, now: 0)
        m.requestQueued()
        return m
    }

    private func response(_ raw: String) throws -> HTTPResponseHead {
        var parser = HTTPResponseParser()
        let result = bytes(raw).withUnsafeBytes { parser.parse($0, requestMethod: .get) }
        guard case .complete(let head, _) = result else {
            return try XCTUnwrap(nil as HTTPResponseHead?, "the test's own response does not parse: \(raw)")
        }
        return head
    }

    private let get = "GET /public/x HTTP/1.1\r\nHost: h\r\n\r\n"
    private let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"

    func testAFinalHeadIsRewrittenAndStreamsAndItsEndFinishesTheExchange() throws {
        var m = try proxying(get)
        guard case .writeHead(let head) = m.upstreamHead(try response(ok), pooling: true, draining: false, now: 7) else {
            return XCTFail("no head")
        }
        XCTAssertTrue(text(head).hasPrefix("HTTP/1.1 200 OK\r\n"))
        XCTAssertEqual(m.exchange?.upstreamHeadNanos, 7)
        XCTAssertTrue(m.exchange?.responseHeadDone ?? false)
        guard case .finish(false, true, let logged) = m.responseComplete(upstreamReusable: true) else {
            return XCTFail("not pooled")
        }
        XCTAssertEqual(logged.status, 200)
        XCTAssertEqual(m.phase, .awaitingHead)
    }

    func testTheUpstreamIsPooledOnlyWhenItAndTheResponseAllowIt() throws {
        let rows: [(String, pooling: Bool, reusable: Bool, pooled: Bool)] = [
            (ok, true, true, true),
            (ok, false, true, false),  // keepalive 0
            (ok, true, false, false),  // bytes left over on the connection
            ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n", true, true, false),
            ("HTTP/1.0 200 OK\r\n\r\n", true, true, false),  // delimited by the close
        ]
        for row in rows {
            var m = try proxying(get)
            _ = m.upstreamHead(try response(row.0), pooling: row.pooling, draining: false, now: 0)
            guard case .finish(_, let pooled, _) = m.responseComplete(upstreamReusable: row.reusable) else {
                return XCTFail(row.0)
            }
            XCTAssertEqual(pooled, row.pooled, row.0)
        }
    }

    func testAChunkedResponseToTheClientGetsItsLastChunkAndDrainingClosesAfterIt() throws {
        var m = try proxying(get)
        _ = m.upstreamHead(try response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), pooling: true, draining: true, now: 0)
        guard case .finish(true, _, _) = m.responseComplete(upstreamReusable: true) else { return XCTFail("no last chunk") }
        XCTAssertEqual(m.phase, .closing, "the rewritten head said close while draining")
    }

    func testA101OpensATunnelOnlyForACheckedHandshakeWithTheRightAccept() throws {
        let accept = bytes("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let switching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        var good = try proxying(get, websocketAccept: accept)
        guard case .openTunnel(_, let e) = good.upstreamHead(try response(switching + text(accept) + "\r\n\r\n"), pooling: true, draining: false, now: 0) else {
            return XCTFail("no tunnel")
        }
        XCTAssertEqual(e.status, 101)
        XCTAssertEqual(good.phase, .tunnelled)

        for (expected, raw) in [(accept, switching + "AAAA\r\n\r\n"), (nil, switching + text(accept) + "\r\n\r\n")] {
            var m = try proxying(get, websocketAccept: expected)
            guard case .upstreamFailed(_, 502, let then) = m.upstreamHead(try response(raw), pooling: true, draining: false, now: 0),
                case .answer(let r, true, _) = then
            else { return XCTFail("a bad 101 is not a 502") }
            XCTAssertEqual(r.status, 502)
        }
    }

    func testFailuresBeforeAHeadAre502Or504AndAReusedConnectionIsRetriedOnce() throws {
        var timeout = try proxying(get)
        guard case .upstreamFailed(_, 504, _) = timeout.upstreamFailed(.readTimedOut, draining: false, now: 0) else {
            return XCTFail("timeout")
        }
        var reused = try proxying(get)
        reused.update { $0.reusedConnection = true }
        guard case .retry = reused.upstreamClosed(nil, sentNothing: true, draining: false, now: 0) else { return XCTFail("no retry") }
        XCTAssertTrue(reused.exchange?.retried ?? false)
        guard case .upstreamFailed(_, 502, _) = reused.upstreamClosed(nil, sentNothing: true, draining: false, now: 0) else {
            return XCTFail("a second retry")
        }
        var fresh = try proxying(get)
        guard case .upstreamFailed(_, 502, _) = fresh.upstreamClosed(nil, sentNothing: true, draining: false, now: 0) else {
            return XCTFail("a fresh connection is not retried")
        }
    }

    func testACloseOrABrokenBodyAfterTheHeadFlushesAndCloses() throws {
        var closed = try proxying(get)
        _ = closed.upstreamHead(try response(ok), pooling: true, draining: false, now: 0)
        guard case .flushAndClose(let logged?) = closed.upstreamClosed(nil, sentNothing: false, draining: false, now: 0) else {
            return XCTFail("close")
        }
        XCTAssertEqual(logged.status, 200)
        XCTAssertEqual(closed.phase, .closing)
        var broken = try proxying(get)
        _ = broken.upstreamHead(try response(ok), pooling: true, draining: false, now: 0)
        guard case .flushAndClose = broken.responseInvalid() else { return XCTFail("invalid body") }
        XCTAssertEqual(broken.phase, .closing)
    }

    func testAnInvalidRequestBodyIsRefusedBeforeTheHeadAndBrokenOffAfter() throws {
        let post = "POST /public/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let head = try XCTUnwrap(parsedHead(post))
        var e = Exchange(head: head, start: 0, clientAddress: "c")
        e.target = canonicalTarget(head.path)
        let route = try XCTUnwrap(Router(config: try testConfiguration()).match(bytes("/public/x")[...]))
        var m = Machine(timeouts: timeouts, now: 0)
        _ = m.headParsed(e, decision: .proxy(route), draining: false, now: 0)
        guard case .answer(let r, false, _) = m.requestBodyInvalid(.invalidChunkSize) else { return XCTFail("refused") }
        XCTAssertEqual(r.status, 400)
        XCTAssertTrue(m.inputUnread)
    }
}
