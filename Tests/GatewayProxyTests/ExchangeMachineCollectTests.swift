// A local endpoint that reads a small body (back-channel logout): the `collecting` phase.

import GatewayConfig
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

/// Claims everything and asks for up to `limit` body bytes.
private final class FormEndpoint: LocalEndpoint {
    let limit: Int
    init(limit: Int) { self.limit = limit }
    func claims(_ target: [UInt8]) -> Bool { true }
    func answer(_ request: LocalRequest, completion: @escaping (LocalResponse) -> Void) {}
    var logRedactedPrefix: String? { nil }
    func bodyLimit(_ head: HTTPRequestHead, target: [UInt8]) -> Int { limit }
}

final class ExchangeMachineCollectTests: XCTestCase {
    private let timeouts = ExchangeMachine.Timeouts(header: 10, idle: 100, body: 1000)

    private func started(_ raw: String, limit: Int) throws -> (ExchangeMachine, ExchangeMachine.Action) {
        let head = try XCTUnwrap(parsedHead(raw))
        var e = Exchange(head: head, start: 0, clientAddress: "192.0.2.1")
        e.target = canonicalTarget(head.path)
        var m = ExchangeMachine(timeouts: timeouts, now: 0)
        let action = m.headParsed(e, decision: .local(FormEndpoint(limit: limit)), draining: false, now: 0)
        return (m, action)
    }

    private func post(_ length: Int, expect: Bool = false) -> String {
        "POST /auth/x HTTP/1.1\r\nHost: h\r\nContent-Length: \(length)\r\n" + (expect ? "Expect: 100-continue\r\n" : "")
            + "\r\n"
    }

    func testTheBodyIsReadWholeBeforeTheEndpointIsAsked() throws {
        var (m, action) = try started(post(10), limit: 64)
        guard case .collectBody(sendContinue: false) = action else { return XCTFail("\(action)") }
        XCTAssertEqual(m.phase, .collecting)
        XCTAssertEqual(m.deadlineKind, .body)
        let first = bytes("a=1&").withUnsafeBytes { m.collected($0) }
        XCTAssertEqual(first.used, 4)
        guard case .none = first.action else { return XCTFail("\(first.action)") }
        let rest = bytes("b=22&cGET / HTTP/1.1\r\n").withUnsafeBytes { m.collected($0) }
        XCTAssertEqual(rest.used, 6, "the next pipelined request stays in the buffer")
        guard case .askEndpoint = rest.action else { return XCTFail("\(rest.action)") }
        XCTAssertEqual(m.phase, .waiting)
        XCTAssertEqual(m.exchange?.localBody, bytes("a=1&b=22&c"))
        XCTAssertEqual(m.exchange?.requestComplete, true)
    }

    func testABodyOverTheLimitIs413AndTheConnectionCloses() throws {
        let (m, action) = try started(post(65), limit: 64)
        guard case .answer(let response, let keepAlive, _) = action else { return XCTFail("\(action)") }
        XCTAssertEqual(response.status, 413)
        XCTAssertFalse(keepAlive)
        XCTAssertEqual(m.phase, .closing)

        var (chunked, _) = try started(
            "POST /auth/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", limit: 4)
        let over = bytes("5\r\nabcde\r\n0\r\n\r\n").withUnsafeBytes { chunked.collected($0) }
        guard case .answer(let big, _, _) = over.action else { return XCTFail("\(over.action)") }
        XCTAssertEqual(big.status, 413)
    }

    func testExpectContinueIsAnsweredAndNoBodyMeansNoCollecting() throws {
        let (_, action) = try started(post(3, expect: true), limit: 64)
        guard case .collectBody(sendContinue: true) = action else { return XCTFail("\(action)") }
        let (m, plain) = try started("POST /auth/x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", limit: 64)
        guard case .askEndpoint = plain else { return XCTFail("\(plain)") }
        XCTAssertEqual(m.phase, .waiting)
    }

    func testAStalledBodyTimesOutWith408() throws {
        var (m, _) = try started(post(10), limit: 64)
        guard case .answer(let response, _, _) = m.tick(now: 1000, inputEmpty: true) else { return XCTFail() }
        XCTAssertEqual(response.status, 408)
    }
}
