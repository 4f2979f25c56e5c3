// The once-an-interval summary behind the max_connections warning and the store-failure line.
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

    /// The store-failure line's use: the first at once, then one per 10 s with the rest.
    func testALongerIntervalHoldsEverythingUnderIt() {
        let count = ThrottledCount(intervalNanoseconds: 10 * second)
        XCTAssertEqual(count.record(now: 5 * second), 1)
        for t in 6..<15 { XCTAssertNil(count.record(now: UInt64(t) * second), "quiet at \(t) s") }
        XCTAssertEqual(count.record(now: 15 * second), 10, "nine held back, and this one")
        XCTAssertNil(count.record(now: 16 * second))
        XCTAssertEqual(count.record(now: 100 * second), 2)
        XCTAssertEqual(count.record(now: 111 * second), 1)
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
