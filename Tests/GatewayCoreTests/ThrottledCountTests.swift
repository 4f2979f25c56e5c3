// The once-a-second summary behind the max_connections warning.
import Dispatch
import GatewayCore
import Synchronization
import XCTest

final class ThrottledCountTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    func testTheFirstEventIsReportedAtOnce() {
        XCTAssertEqual(ThrottledCount().record(now: 5 * second), 1)
    }

    func testEventsWithinAnIntervalAreHeldAndReportedTogether() {
        let count = ThrottledCount()
        XCTAssertEqual(count.record(now: 10 * second), 1)
        for i in 1...999 { XCTAssertNil(count.record(now: 10 * second + UInt64(i) * 1_000_000)) }
        XCTAssertEqual(count.record(now: 11 * second), 1_000)
        XCTAssertNil(count.record(now: 11 * second + 1))
        XCTAssertEqual(count.record(now: 13 * second), 2)
    }

    func testConcurrentRecordersReportEveryEventOnce() {
        let count = ThrottledCount(intervalNanoseconds: 1)
        let reported = Atomic<UInt64>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in 0..<10_000 {
                if let n = count.record(now: UInt64(worker * 10_000 + i + 1)) {
                    reported.wrappingAdd(n, ordering: .relaxed)
                }
            }
        }
        // What is still pending goes out with the next report.
        let rest = count.record(now: .max) ?? 0
        XCTAssertEqual(reported.load(ordering: .relaxed) + rest, 40_001)
    }
}
