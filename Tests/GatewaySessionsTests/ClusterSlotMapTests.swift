// Reading CLUSTER SLOTS replies into the slot map, and MOVED patching it.
import XCTest

@testable import GatewaySessions

final class ClusterSlotMapTests: XCTestCase {
    private func range(_ start: Int, _ end: Int, _ host: String, _ port: Int) -> RedisValue {
        .array([
            .integer(start), .integer(end),
            .array([.string(Array(host.utf8)), .integer(port), .string(Array("id".utf8))]),
            .array([.string(Array("127.0.0.1".utf8)), .integer(port + 100), .string(Array("replica".utf8))]),
        ])
    }

    func testThreePrimariesCoverEverySlot() throws {
        let reply = RedisValue.array([
            range(0, 5460, "127.0.0.1", 7000), range(5461, 10922, "127.0.0.1", 7001), range(10923, 16383, "", 7002),
        ])
        let map = try XCTUnwrap(ClusterSlotMap(slotsReply: reply, askedHost: "10.0.0.9"))
        XCTAssert(map.coversEverySlot)
        XCTAssertEqual(map.node(forSlot: 0), RedisAddress(host: "127.0.0.1", port: 7000))
        XCTAssertEqual(map.node(forSlot: 5461), RedisAddress(host: "127.0.0.1", port: 7001))
        // An empty host is the node that answered; replicas are not primaries.
        XCTAssertEqual(map.node(forSlot: 16383), RedisAddress(host: "10.0.0.9", port: 7002))
        XCTAssertEqual(map.nodes.count, 3)
        XCTAssertEqual(map.slotCounts[RedisAddress(host: "127.0.0.1", port: 7000)], 5461)
    }

    func testGapsAndMovedPatches() throws {
        var map = try XCTUnwrap(
            ClusterSlotMap(slotsReply: .array([range(0, 100, "127.0.0.1", 7000)]), askedHost: "127.0.0.1"))
        XCTAssertFalse(map.coversEverySlot)
        XCTAssertNil(map.node(forSlot: 101))
        map.assign(50, to: RedisAddress(host: "127.0.0.1", port: 7001))
        XCTAssertEqual(map.node(forSlot: 50)?.port, 7001)
        XCTAssertEqual(map.node(forSlot: 49)?.port, 7000)
    }

    func testMalformedRepliesAreRefused() {
        XCTAssertNil(ClusterSlotMap(slotsReply: .integer(1), askedHost: "h"))
        XCTAssertNil(ClusterSlotMap(slotsReply: .array([.array([.integer(0)])]), askedHost: "h"))
        XCTAssertNil(ClusterSlotMap(slotsReply: .array([range(10, 5, "h", 1)]), askedHost: "h"))
        XCTAssertNil(ClusterSlotMap(slotsReply: .array([range(0, 16384, "h", 1)]), askedHost: "h"))
    }
}
