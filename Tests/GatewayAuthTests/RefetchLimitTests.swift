// The process-wide JWKS refetch budget of one issuer: one grant per interval, whichever loop asks.
import Dispatch
import GatewayAuth
import XCTest

final class RefetchLimitTests: XCTestCase {
    func testOneGrantPerInterval() {
        let limit = RefetchLimit(interval: .seconds(60))
        XCTAssertTrue(limit.take(now: 1_000))
        XCTAssertFalse(limit.take(now: 1_000 + 59_999_999_999))
        XCTAssertTrue(limit.take(now: 1_000 + 60_000_000_000))
        XCTAssertFalse(limit.take(now: 1_000 + 60_000_000_001))
    }

    func testConcurrentLoopsGetOneGrant() {
        let limit = RefetchLimit(interval: .seconds(60))
        let granted = OIDCResultBox<Int>()
        granted.value = 0
        let lock = NSLockBox()
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if limit.take(now: 5_000_000_000) { lock.run { granted.value! += 1 } }
        }
        XCTAssertEqual(granted.value, 1)
    }
}

private final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()
    func run(_ body: () -> Void) { lock.withLock(body) }
}
