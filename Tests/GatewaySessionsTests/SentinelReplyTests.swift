// The Sentinel answers read as values: the primary's address, `+switch-master`, and `ROLE`.
import XCTest

@testable import GatewaySessions

final class SentinelReplyTests: XCTestCase {
    private func bulk(_ text: String) -> RedisValue { .string(Array(text.utf8)) }

    func testMasterAddressIsAnIPAndAPortOrNothing() {
        XCTAssertEqual(
            SentinelReply.masterAddress(.array([bulk("127.0.0.1"), bulk("6380")])),
            RedisAddress(host: "127.0.0.1", port: 6380))
        XCTAssertEqual(
            SentinelReply.masterAddress(.array([bulk("::1"), bulk("7000")]))?.description, "[::1]:7000")
        // The sentinel does not monitor the name.
        XCTAssertNil(SentinelReply.masterAddress(.null))
        for bad: RedisValue in [
            .array([bulk("127.0.0.1")]), .array([bulk(""), bulk("6379")]), .array([bulk("h"), bulk("0")]),
            .array([bulk("h"), bulk("65536")]), .array([bulk("h"), bulk("x")]), .array([bulk("h"), .integer(6379)]),
            .array([bulk("h"), bulk("6379"), bulk("extra")]), .status("OK"),
        ] {
            XCTAssertNil(SentinelReply.masterAddress(bad), "\(bad)")
        }
    }

    func testSwitchMasterNamesTheMasterAndBothAddresses() {
        XCTAssertEqual(
            SentinelReply.switchMaster(Array("gateway 127.0.0.1 6379 127.0.0.2 6380".utf8)),
            SentinelReply.SwitchMaster(
                master: "gateway", from: RedisAddress(host: "127.0.0.1", port: 6379),
                to: RedisAddress(host: "127.0.0.2", port: 6380)))
        for bad in [
            "", "gateway 127.0.0.1 6379 127.0.0.2", "gateway 127.0.0.1 6379 127.0.0.2 6380 extra",
            "gateway  127.0.0.1 6379 127.0.0.2 6380", "gateway 127.0.0.1 6379 127.0.0.2 +6380",
            "gateway 127.0.0.1 6379 127.0.0.2 0", "gateway 127.0.0.1 x 127.0.0.2 6380",
            " 127.0.0.1 6379 127.0.0.2 6380",
        ] {
            XCTAssertNil(SentinelReply.switchMaster(Array(bad.utf8)), bad)
        }
    }

    func testOnlyAMasterRoleIsThePrimary() {
        XCTAssertTrue(RedisConnection.isPrimaryRole(.array([bulk("master"), .integer(42), .array([])])))
        XCTAssertFalse(
            RedisConnection.isPrimaryRole(
                .array([bulk("slave"), bulk("127.0.0.1"), .integer(6379), bulk("connected"), .integer(42)])))
        XCTAssertFalse(RedisConnection.isPrimaryRole(.array([bulk("sentinel"), .array([bulk("gateway")])])))
        XCTAssertFalse(RedisConnection.isPrimaryRole(.status("master")))
        XCTAssertEqual(RedisConnection.roleName(.array([bulk("slave")])), "slave")
        XCTAssertEqual(RedisConnection.roleName(.null), "nothing")
    }
}
