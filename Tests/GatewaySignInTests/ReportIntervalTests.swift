// A repeated failure's log line: the first at once, then one per interval with the count left out.
import XCTest

@testable import GatewaySignIn

final class ReportIntervalTests: XCTestCase {
    func testReportsTheFirstThenOncePerIntervalWithHowManyWereLeftOut() {
        var reports = ReportInterval(seconds: 10)
        let second: UInt64 = 1_000_000_000
        XCTAssertEqual(reports.report(now: 5 * second), 0)
        for t in 6..<15 { XCTAssertNil(reports.report(now: UInt64(t) * second), "quiet at \(t) s") }
        XCTAssertEqual(reports.report(now: 15 * second), 9, "nine left out since the first")
        XCTAssertNil(reports.report(now: 16 * second))
        XCTAssertEqual(reports.report(now: 100 * second), 1)
        XCTAssertEqual(reports.report(now: 111 * second), 0)
    }
}
