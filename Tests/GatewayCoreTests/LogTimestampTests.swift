// The one log timestamp: ISO 8601 in UTC with milliseconds, quoted for JSON.

import GatewayCore
import XCTest

final class LogTimestampTests: XCTestCase {
    func testTheTimestampIsFormattedOnceASecondAndItsMillisecondsEachLine() {
        var clock = LogTimestamp()
        let lines = [clock.at(seconds: 1_764_634_458, millis: 7), clock.at(seconds: 1_764_634_458, millis: 999),
                     clock.at(seconds: 1_764_634_459, millis: 0)]
        XCTAssertEqual(
            lines.map { String(decoding: $0, as: UTF8.self) },
            ["\"2025-12-02T00:14:18.007Z\"", "\"2025-12-02T00:14:18.999Z\"", "\"2025-12-02T00:14:19.000Z\""])
    }
}
