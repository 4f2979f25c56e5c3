// `session { store_timeout DURATION; }`: how long a Redis command may wait for its reply.
import XCTest

@testable import GatewayConfig

final class StoreTimeoutDirectiveTests: XCTestCase {
    func testDefaultIsTwoSecondsAndAnyDurationInRangeIsTaken() throws {
        XCTAssertEqual(try TestConfig.load("").session.storeTimeout, .seconds(2))
        XCTAssertEqual(
            try TestConfig.load("session { store redis://127.0.0.1/0; store_timeout 250ms; }\n").session.storeTimeout,
            .milliseconds(250))
        XCTAssertEqual(try TestConfig.load("session { store_timeout 10ms; }\n").session.storeTimeout, .milliseconds(10))
        XCTAssertEqual(try TestConfig.load("session { store_timeout 30s; }\n").session.storeTimeout, .seconds(30))
    }

    func testRejectsOutOfRangeWithItsPlace() {
        XCTAssertEqual(
            TestConfig.messages("session {\n    store_timeout 5ms;\n}\n"),
            [#"gateway.conf:2:19: session: "store_timeout" must be between 10ms and 30s, got "5ms""#])
        XCTAssertEqual(
            TestConfig.messages("session { store_timeout 1m; }\n"),
            [#"gateway.conf:1:25: session: "store_timeout" must be between 10ms and 30s, got "1m""#])
    }

    func testRejectsNonDurationsAndRepeatsAndMissingArguments() {
        XCTAssertEqual(
            TestConfig.messages("session { store_timeout soon; }\n"),
            [
                #"gateway.conf:1:25: session: "store_timeout" must be a positive duration like 500ms, 10s, 5m, 2h or 1h30m, got "soon""#
            ])
        XCTAssertEqual(TestConfig.messages("session { store_timeout 1s; store_timeout 2s; }\n").count, 1)
        XCTAssertEqual(TestConfig.messages("session { store_timeout; }\n").count, 1)
        XCTAssertEqual(TestConfig.messages("store_timeout 1s;\n").count, 1, "only inside session")
    }
}
