// sameBytes(as:) answers as `==` does, for every length and for a difference anywhere.
import XCTest

@testable import GatewayCore

final class ByteEqualityTests: XCTestCase {
    func testItAgreesWithEqualityWhereverTheArraysDiffer() {
        XCTAssertTrue([UInt8]().sameBytes(as: []))
        XCTAssertFalse([UInt8]().sameBytes(as: [0]))
        XCTAssertFalse([0].sameBytes(as: []))
        let json = Array(#"{"userID":"u_1","identities":["mock:1"],"expiresAt":100}"#.utf8)
        XCTAssertTrue(json.sameBytes(as: Array(json)))
        for i in json.indices {
            var other = json
            other[i] ^= 0x01
            XCTAssertFalse(json.sameBytes(as: other), "a difference at \(i)")
            XCTAssertEqual(json.sameBytes(as: other), json == other)
        }
        XCTAssertFalse(json.sameBytes(as: json + [0x20]), "a longer one with the same start")
        XCTAssertFalse(json.sameBytes(as: Array(json.dropLast())))
    }
}
