// The proxied exchange's state machine: each event in each state, and the action it gives.
import GatewayCore
import XCTest

@testable import GatewayProxy

final class ProxyMachineTests: XCTestCase {
    private typealias Action = ProxyMachine.Action

    private func awaiting() -> ProxyMachine {
        var machine = ProxyMachine()
        machine.startProxy()
        return machine
    }

    private func streaming() -> ProxyMachine {
        var machine = awaiting()
        machine.responseHead()
        return machine
    }

    func testAFreshExchangeIsRoutingAndHasNoResponse() {
        let machine = ProxyMachine()
        XCTAssertEqual(machine.state, .routing)
        XCTAssertFalse(machine.responseStarted)
    }

    func testAResponseHeadStartsStreamingAndACompleteResponseFinishes() {
        for keepAlive in [true, false] {
            var machine = streaming()
            XCTAssertEqual(machine.state, .streaming)
            XCTAssertTrue(machine.responseStarted)
            XCTAssertEqual(machine.responseComplete(keepAlive: keepAlive), .finish(keepAlive: keepAlive))
            XCTAssertEqual(machine.state, .done)
            XCTAssertTrue(machine.responseStarted, "the access log still names the upstream")
            XCTAssertFalse(machine.brokenOff)
        }
    }

    func testAFailureBeforeTheHeadIs502Or504AndKeepsAliveOnlyWithTheWholeRequestRead() {
        let table: [(timedOut: Bool, requestComplete: Bool, expected: Action)] = [
            (false, true, .respond(status: 502, keepAlive: true)),
            (false, false, .respond(status: 502, keepAlive: false)),
            (true, true, .respond(status: 504, keepAlive: true)),
            (true, false, .respond(status: 504, keepAlive: false)),
        ]
        for row in table {
            var machine = awaiting()
            XCTAssertEqual(
                machine.upstreamFailed(timedOut: row.timedOut, requestComplete: row.requestComplete), row.expected)
            XCTAssertEqual(machine.state, .done)
            XCTAssertFalse(machine.responseStarted)
        }
    }

    func testACloseBeforeTheHeadRetriesOnlyWhenAllowedAndNotTimedOut() {
        let table: [(error: UpstreamError?, retryable: Bool, expected: Action)] = [
            (nil, true, .retry),
            (.io(SystemError("recv", errno: 104)), true, .retry),
            (.readTimedOut, true, .respond(status: 504, keepAlive: true)),
            (nil, false, .respond(status: 502, keepAlive: true)),
            (.connectTimedOut, false, .respond(status: 504, keepAlive: true)),
        ]
        for row in table {
            var machine = awaiting()
            XCTAssertEqual(
                machine.upstreamClosed(error: row.error, retryable: row.retryable, requestComplete: true), row.expected)
            XCTAssertEqual(machine.state, row.expected == .retry ? .awaitingResponse : .done)
        }
    }

    func testACloseAfterTheHeadOrInATunnelFlushesAndCloses() {
        var stream = streaming()
        XCTAssertEqual(stream.upstreamClosed(error: nil, retryable: true, requestComplete: true), .flushAndClose)
        XCTAssertEqual(stream.state, .done)
        XCTAssertTrue(stream.brokenOff, "the access log marks the answer incomplete")

        var tunnel = awaiting()
        tunnel.tunnelOpened()
        XCTAssertEqual(tunnel.state, .tunnelling)
        XCTAssertEqual(
            tunnel.upstreamClosed(error: .sendTimedOut, retryable: false, requestComplete: true), .flushAndClose)
        XCTAssertTrue(tunnel.responseStarted)
        XCTAssertFalse(tunnel.brokenOff, "a tunnel ends when either side closes")
    }

    func testAnInvalidRequestBodyIsRefusedBeforeTheHeadAndBreaksOffAfterIt() {
        var before = awaiting()
        XCTAssertEqual(before.requestBodyInvalid(status: 400), .respond(status: 400, keepAlive: false))
        XCTAssertEqual(before.state, .done)

        var after = streaming()
        XCTAssertEqual(after.requestBodyInvalid(status: 400), .close)
        XCTAssertEqual(after.state, .done)
        XCTAssertTrue(after.brokenOff)
    }

    func testAnInvalidBodyFlushesAndCloses() {
        var machine = streaming()
        XCTAssertEqual(machine.responseInvalid(), .flushAndClose)
        XCTAssertEqual(machine.state, .done)
        XCTAssertTrue(machine.brokenOff)
    }
}
