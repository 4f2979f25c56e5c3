// CRC16 and hash tags against the Redis Cluster specification's vectors and redis-cli's slots.
import XCTest

@testable import GatewaySessions

final class ClusterHashSlotTests: XCTestCase {
    private func slot(_ key: String) -> Int { ClusterHashSlot.slot(Array(key.utf8)) }

    func testCRC16MatchesTheSpecificationVector() {
        // "The CRC16 ... output for '123456789' is 0x31C3" (cluster spec, appendix A).
        XCTAssertEqual(ClusterHashSlot.crc16(Array("123456789".utf8)), 0x31C3)
        XCTAssertEqual(ClusterHashSlot.crc16([UInt8]()), 0)
    }

    func testSlotsMatchRedisClusterKeyslot() {
        // Values from `CLUSTER KEYSLOT` on redis-server 7.0.
        XCTAssertEqual(slot("foo"), 12182)
        XCTAssertEqual(slot("bar"), 5061)
        XCTAssertEqual(slot("hello"), 866)
        XCTAssertEqual(slot(""), 0)
        XCTAssertEqual(slot("123456789"), 0x31C3 & 0x3FFF)
    }

    func testHashTagTakesOnlyTheBracedPart() {
        XCTAssertEqual(slot("{user1000}.following"), slot("user1000"))
        XCTAssertEqual(slot("{user1000}.followers"), slot("user1000"))
        XCTAssertEqual(slot("a{b}c"), slot("b"))
        XCTAssertEqual(slot("foo{bar}{zap}"), slot("bar"))
        XCTAssertEqual(slot("foo{{bar}}zap"), slot("{bar"))
        XCTAssertEqual(slot("{users}user:42"), slot("{users}email:a@example.com"))
    }

    func testEmptyOrUnclosedTagHashesTheWholeKey() {
        XCTAssertEqual(Array(ClusterHashSlot.hashed(Array("{}".utf8))), Array("{}".utf8))
        XCTAssertEqual(Array(ClusterHashSlot.hashed(Array("{a".utf8))), Array("{a".utf8))
        XCTAssertEqual(Array(ClusterHashSlot.hashed(Array("foo{}{bar}".utf8))), Array("foo{}{bar}".utf8))
        XCTAssertEqual(Array(ClusterHashSlot.hashed(Array("}a{".utf8))), Array("}a{".utf8))
        XCTAssertEqual(Array(ClusterHashSlot.hashed(Array("x{a}".utf8))), Array("a".utf8))
        // And the slots `CLUSTER KEYSLOT` gives for them.
        XCTAssertEqual(slot("{}"), 15257)
        XCTAssertEqual(slot("{a"), 10276)
        XCTAssertEqual(slot("foo{}{bar}"), 8363)
        XCTAssertEqual(slot("}a{"), 11710)
        XCTAssertEqual(slot("x{a}"), 15495)
        XCTAssertEqual(slot("foo{{bar}}zap"), 4015)
        XCTAssertEqual(slot("a{b}c"), 3300)
    }

    func testSlotsStayInRange() {
        for n in 0..<2_000 { XCTAssert((0..<ClusterHashSlot.count).contains(slot("session:\(n)"))) }
    }
}
