// The key a cluster routes each command by, and the redirect replies it follows.
import XCTest

@testable import GatewaySessions

final class RedisCommandKeyTests: XCTestCase {
    private func key(_ args: [String]) -> String? {
        RedisCommandKey.key(of: args.map { Array($0.utf8) }).map { String(decoding: $0, as: UTF8.self) }
    }

    func testPlainCommandsRouteByTheirFirstArgument() {
        XCTAssertEqual(key(["GET", "session:abc"]), "session:abc")
        XCTAssertEqual(key(["set", "k", "v", "XX", "EX", "5"]), "k")
        XCTAssertEqual(key(["DEL", "session:x"]), "session:x")
    }

    func testScriptsRouteByTheirFirstDeclaredKey() {
        XCTAssertEqual(key(["EVALSHA", "abc", "1", "{users}", "p"]), "{users}")
        XCTAssertEqual(key(["eval", "return 1", "2", "a", "b"]), "a")
        XCTAssertNil(key(["EVAL", "return 1", "0", "p"]))
        XCTAssertNil(key(["EVAL", "return 1", "x", "p"]))
    }

    func testCommandsWithoutKeysGoAnywhere() {
        XCTAssertNil(key(["PUBLISH", "session_events", "id"]))
        XCTAssertNil(key(["SCRIPT", "LOAD", "return 1"]))
        XCTAssertNil(key(["CLUSTER", "SLOTS"]))
        XCTAssertNil(key(["PING"]))
        XCTAssertNil(key([]))
    }

    func testRedirectRepliesParse() {
        XCTAssertEqual(
            ClusterRedirect("MOVED 3999 127.0.0.1:6381"),
            .moved(slot: 3999, RedisAddress(host: "127.0.0.1", port: 6381)))
        XCTAssertEqual(
            ClusterRedirect("ASK 3999 ::1:7000"), .ask(slot: 3999, RedisAddress(host: "::1", port: 7000)))
        XCTAssertNil(ClusterRedirect("MOVED 3999"))
        XCTAssertNil(ClusterRedirect("MOVED 99999 127.0.0.1:1"))
        XCTAssertNil(ClusterRedirect("ERR unknown command"))
        XCTAssertNil(ClusterRedirect("MOVED 1 127.0.0.1:0"))
    }
}
