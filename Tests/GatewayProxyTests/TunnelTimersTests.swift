// A tunnel cannot be held open by silence, by a client that stops reading, or past its session.

import XCTest

@testable import GatewayProxy

final class TunnelTimersTests: XCTestCase {
    private let s: UInt64 = 1_000_000_000

    private func timers(session: Bool = false, queued: Int = 0) -> TunnelTimers {
        TunnelTimers(now: 0, idleTimeout: 10 * s, sendTimeout: 3 * s, checksSession: session, queuedForClient: queued)
    }

    func testASilentTunnelClosesAfterTheIdleTimeout() {
        var t = timers()
        XCTAssertEqual(t.tick(now: 9 * s, clientPending: 0), .none)
        XCTAssertEqual(t.tick(now: 10 * s, clientPending: 0), .closeIdle)
    }

    func testBytesEitherWayRefreshTheIdleTimeout() {
        var t = timers()
        t.noteActivity()
        XCTAssertEqual(t.tick(now: 8 * s, clientPending: 0), .none)
        XCTAssertEqual(t.tick(now: 17 * s, clientPending: 0), .none)
        t.noteQueuedForClient(5)
        XCTAssertEqual(t.tick(now: 18 * s, clientPending: 0), .none)
        XCTAssertEqual(t.tick(now: 27 * s, clientPending: 0), .none)
        XCTAssertEqual(t.tick(now: 28 * s, clientPending: 0), .closeIdle)
    }

    func testAClientThatStopsReadingIsClosedAfterTheSendTimeoutEvenWhileBytesArrive() {
        var t = timers(queued: 100)
        XCTAssertEqual(t.tick(now: 1 * s, clientPending: 100), .none)  // the stall starts being timed here
        t.noteQueuedForClient(1000)  // the upstream goes on talking: activity, but no progress to the client
        XCTAssertEqual(t.tick(now: 2 * s, clientPending: 1100), .none)
        XCTAssertEqual(t.tick(now: 4 * s, clientPending: 1100), .closeClientStalled)
    }

    func testASlowButMovingClientIsNotClosed() {
        var t = timers(queued: 10_000)
        var pending = 10_000
        for second in 1...8 {
            pending -= 1000
            XCTAssertEqual(t.tick(now: UInt64(second) * s, clientPending: pending), .none, "second \(second)")
        }
        XCTAssertEqual(t.tick(now: 9 * s, clientPending: 0), .none)
    }

    func testAProtectedTunnelChecksItsSessionEveryInterval() {
        var t = TunnelTimers(now: 0, idleTimeout: 3600 * s, sendTimeout: 3 * s, checksSession: true, queuedForClient: 0)
        let interval = TunnelTimers.sessionCheckInterval
        XCTAssertLessThanOrEqual(interval, 60 * s, "the contract: closed within a minute of the session ending")
        XCTAssertEqual(t.tick(now: interval - 1, clientPending: 0), .none)
        XCTAssertEqual(t.tick(now: interval, clientPending: 0), .checkSession)
        XCTAssertEqual(t.tick(now: interval + 1, clientPending: 0), .none)
        XCTAssertEqual(t.tick(now: 2 * interval, clientPending: 0), .checkSession)
    }

    func testAPublicTunnelNeverChecksASession() {
        var t = TunnelTimers(
            now: 0, idleTimeout: 3600 * s, sendTimeout: 3 * s, checksSession: false, queuedForClient: 0)
        t.noteActivity()
        XCTAssertEqual(t.tick(now: 120 * s, clientPending: 0), .none)
    }
}
