// Event in, action and phase out: the client connection's exchanges, without a socket.

import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class ExchangeMachineTests: XCTestCase {
    private typealias Machine = ExchangeMachine
    private let timeouts = ExchangeMachine.Timeouts(header: 10, idle: 100, body: 1000)

    private func exchange(_ raw: String, file: StaticString = #filePath, line: UInt = #line) throws -> Exchange {
        let head = try XCTUnwrap(parsedHead(raw, file: file, line: line), file: file, line: line)
        var e = Exchange(head: head, start: 0, clientAddress: "192.0.2.1")
        e.target = canonicalTarget(head.path)
        return e
    }

    private func route() throws -> Route {
        let config = try testConfiguration()
        return try XCTUnwrap(Router(config: config).match(bytes("/public/x")[...]))
    }

    private let get = "GET /public/x HTTP/1.1\r\nHost: h\r\n\r\n"
    private let post = "POST /public/x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n"
    private let bigPost = "POST /public/x HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n"
    private let expectPost = "POST /public/x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
    private let close = "GET /public/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"

    /// A machine that has parsed `raw` and is forwarding it upstream.
    private func proxying(_ raw: String) throws -> Machine {
        var m = Machine(timeouts: timeouts, now: 0)
        _ = m.headParsed(try exchange(raw), decision: .proxy(try route()), draining: false, now: 0)
        return m
    }

    private func answered(_ action: Machine.Action) -> (status: Int, keepAlive: Bool)? {
        guard case .answer(let response, let keepAlive, _) = action else { return nil }
        return (response.status, keepAlive)
    }

    // MARK: Heads and answers

    func testAFreshConnectionAwaitsAHeadUnderTheHeaderTimeout() {
        let m = Machine(timeouts: timeouts, now: 5)
        XCTAssertEqual(m.phase, .awaitingHead)
        XCTAssertEqual(m.deadlineKind, .header)
        XCTAssertEqual(m.deadline, 15)
    }

    func testEachRouteDecisionLeadsToItsAction() throws {
        let rows: [(String, RouteDecision, Machine.Phase)] = [
            ("answer", .answer(.json(200, "{}")), .awaitingHead),
            ("refuse", .refuse(.error(400, for: nil)), .closing),
            ("gate", .gate(try route()), .waiting),
            ("proxy", .proxy(try route()), .proxying),
        ]
        for (name, decision, phase) in rows {
            var m = Machine(timeouts: timeouts, now: 0)
            let action = m.headParsed(try exchange(get), decision: decision, draining: false, now: 0)
            XCTAssertEqual(m.phase, phase, name)
            XCTAssertEqual(m.serial, 1, name)
            switch (name, action) {
            case ("answer", .answer(_, let keepAlive, _)): XCTAssertTrue(keepAlive)
            case ("refuse", .answer(_, let keepAlive, _)): XCTAssertFalse(keepAlive)
            case ("gate", .askGate), ("proxy", .forward(_, identity: nil)): break
            default: XCTFail("\(name) gave \(action)")
            }
        }
    }

    func testAnAnswerKeepsAliveOnlyWhenTheBodyCanBeDroppedAndNobodyAskedToClose() throws {
        let rows: [(raw: String, draining: Bool, keepAlive: Bool, phase: Machine.Phase)] = [
            (get, false, true, .awaitingHead),
            (post, false, true, .discarding),  // a small body is read and dropped
            (bigPost, false, false, .closing),  // a large one is not worth reading
            (expectPost, false, false, .closing),  // the client waits to be asked for it
            (close, false, false, .closing),
            (get, true, false, .closing),  // shutting down
        ]
        for row in rows {
            var m = Machine(timeouts: timeouts, now: 0)
            let action = m.headParsed(try exchange(row.raw), decision: .answer(.json(404, "{}")), draining: row.draining, now: 0)
            XCTAssertEqual(answered(action)?.keepAlive, row.keepAlive, row.raw)
            XCTAssertEqual(m.phase, row.phase, row.raw)
            XCTAssertEqual(m.inputUnread, row.phase == .closing && row.raw != close && !row.draining, row.raw)
        }
    }

    func testAnUnparsableHeadIsAnsweredAndClosedWithItsInputUnread() {
        var m = Machine(timeouts: timeouts, now: 0)
        let action = m.headInvalid(.error(400, for: nil))
        guard case .answer(let response, false, nil) = action else { return XCTFail("\(action)") }
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(m.phase, .closing)
        XCTAssertTrue(m.inputUnread, "the close must be staged")
        XCTAssertTrue(m.closesWhenDrained)
    }

    func testADroppedBodyLetsTheNextRequestInAndABrokenOneCloses() throws {
        for (body, phase) in [("12345", Machine.Phase.awaitingHead), ("12", .discarding)] {
            var m = Machine(timeouts: timeouts, now: 0)
            _ = m.headParsed(try exchange(post), decision: .answer(.json(404, "{}")), draining: false, now: 0)
            let used = bytes(body).withUnsafeBytes { m.discarded($0) }
            XCTAssertEqual(used, body.count)
            XCTAssertEqual(m.phase, phase, body)
        }
        var m = Machine(timeouts: timeouts, now: 0)
        let chunked = "POST /public/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        _ = m.headParsed(try exchange(chunked), decision: .answer(.json(404, "{}")), draining: false, now: 0)
        _ = bytes("zz\r\n").withUnsafeBytes { m.discarded($0) }
        XCTAssertEqual(m.phase, .closing)
        XCTAssertTrue(m.inputUnread)
    }

    // MARK: Late answers

    func testOnlyTheCurrentWaitingExchangeTakesAnAnswer() throws {
        var m = Machine(timeouts: timeouts, now: 0)
        _ = m.headParsed(try exchange(get), decision: .gate(try route()), draining: false, now: 0)
        let serial = m.serial
        XCTAssertTrue(m.isCurrent(serial))
        XCTAssertFalse(m.isCurrent(serial &- 1))
        let action = m.gateDecided(.allow(identityHeaders: bytes("X-Auth-User: a\r\n"), session: SessionToken("s")), route: try route(), draining: false, now: 0)
        guard case .forward(_, let identity?) = action else { return XCTFail("\(action)") }
        XCTAssertEqual(text(identity), "X-Auth-User: a\r\n")
        XCTAssertEqual(m.exchange?.session, SessionToken("s"), "a tunnel re-checks it")
        XCTAssertFalse(m.isCurrent(serial), "forwarding: no longer waiting")
    }

    func testAGateAnswerIsAnsweredLikeAnyLocalResponse() throws {
        var m = Machine(timeouts: timeouts, now: 0)
        _ = m.headParsed(try exchange(get), decision: .gate(try route()), draining: false, now: 0)
        let action = m.gateDecided(.answer(.error(401, for: nil)), route: try route(), draining: false, now: 0)
        XCTAssertEqual(answered(action)?.status, 401)
        XCTAssertEqual(m.phase, .awaitingHead)
    }

    // MARK: Deadlines

    func testDeadlinesEndTheConnectionTheWayEachPhaseNeeds() throws {
        var idle = Machine(timeouts: timeouts, now: 0)
        idle.awaitHead(inputEmpty: true, now: 0)
        XCTAssertEqual(idle.deadline, 100)
        guard case .none = idle.tick(now: 99, inputEmpty: true) else { return XCTFail("early") }
        guard case .close(nil) = idle.tick(now: 100, inputEmpty: true) else { return XCTFail("idle") }

        var partial = Machine(timeouts: timeouts, now: 0)
        partial.awaitHead(inputEmpty: true, now: 0)
        partial.partialHead(now: { 50 })
        XCTAssertEqual(partial.deadlineKind, .header)
        XCTAssertEqual(partial.deadline, 60)
        XCTAssertEqual(answered(partial.tick(now: 60, inputEmpty: false))?.status, 408)
        XCTAssertEqual(partial.phase, .closing)

        var body = try proxying(post)
        XCTAssertEqual(body.deadlineKind, .body)
        body.clientBytes(now: { 500 })
        XCTAssertEqual(body.deadline, 1500, "each byte restarts the body timeout")
        let timedOut = body.tick(now: 1500, inputEmpty: true)
        XCTAssertEqual(answered(timedOut)?.status, 408)
        XCTAssertEqual(answered(timedOut)?.keepAlive, false)

        var discarding = Machine(timeouts: timeouts, now: 0)
        _ = discarding.headParsed(try exchange(post), decision: .answer(.json(404, "{}")), draining: false, now: 0)
        guard case .proceed = discarding.tick(now: 1000, inputEmpty: true) else { return XCTFail("discarding") }
        XCTAssertEqual(discarding.phase, .closing)
        XCTAssertTrue(discarding.inputUnread, "a client that stopped sending its body gets a staged close")
    }

    func testTheClientHangingUpMidProxyLogs499BeforeAResponseHead() throws {
        var m = try proxying(get)
        guard case .close(let logged?) = m.clientEnded() else { return XCTFail("no line") }
        XCTAssertEqual(logged.status, 499)
        var idle = Machine(timeouts: timeouts, now: 0)
        guard case .close(nil) = idle.clientEnded() else { return XCTFail("an idle hang-up logs nothing") }
    }

    func testDrainingClosesOnlyAConnectionBetweenRequests() throws {
        var idle = Machine(timeouts: timeouts, now: 0)
        XCTAssertTrue(idle.isIdle(inputEmpty: true))
        XCTAssertFalse(idle.isIdle(inputEmpty: false))
        idle.drain()
        XCTAssertEqual(idle.phase, .closing)
        var busy = try proxying(get)
        busy.drain()
        XCTAssertEqual(busy.phase, .proxying)
    }
}
