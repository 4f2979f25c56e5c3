// The staged close's bounds: time since the close, time between reads, bytes dropped.
import XCTest

@testable import GatewayProxy

final class LingeringCloseTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    func testEndsAfterTheIdleTimeWithoutBytes() {
        let linger = LingeringClose(now: 0)
        XCTAssertFalse(linger.isExpired(now: LingeringClose.idleTime - 1))
        XCTAssertTrue(linger.isExpired(now: LingeringClose.idleTime))
    }

    func testEachReadExtendsTheIdleTimeButNotTheTotal() {
        var linger = LingeringClose(now: 0)
        var now: UInt64 = 0
        while now + 4 * second < LingeringClose.totalTime {
            now += 4 * second
            XCTAssertEqual(linger.received(100, now: now), .keepReading)
            XCTAssertFalse(linger.isExpired(now: now + second))
        }
        XCTAssertTrue(linger.isExpired(now: LingeringClose.totalTime))
        XCTAssertEqual(linger.received(100, now: LingeringClose.totalTime), .close)
    }

    func testEndsAfterTheByteLimit() {
        var linger = LingeringClose(now: 0)
        XCTAssertEqual(linger.received(LingeringClose.maxBytes - 1, now: 1), .keepReading)
        XCTAssertEqual(linger.received(1, now: 2), .close)
    }
}
