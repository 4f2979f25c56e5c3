// `session { cache DURATION|off; }`: the local session cache's one directive.
import XCTest

@testable import GatewayConfig

final class SessionCacheDirectiveTests: XCTestCase {
    func testDefaultIsFiveSecondsAndOffTurnsItOff() throws {
        XCTAssertEqual(try TestConfig.load("").session.cacheTTL, .seconds(5))
        XCTAssertEqual(try TestConfig.load("session { cache 250ms; }\n").session.cacheTTL, .milliseconds(250))
        XCTAssertEqual(try TestConfig.load("session { cache 60s; }\n").session.cacheTTL, .seconds(60))
        XCTAssertNil(try TestConfig.load("session { cache off; }\n").session.cacheTTL)
    }

    func testRejectsLongerThanAMinuteAndNonDurationsWithTheirPlace() {
        XCTAssertEqual(
            TestConfig.messages("session {\n    cache 2m;\n}\n"),
            [#"gateway.conf:2:11: session: "cache" must be "off" or between 1ms and 60s, got "2m""#])
        XCTAssertEqual(TestConfig.messages("session { cache soon; }\n").count, 1)
    }
}
