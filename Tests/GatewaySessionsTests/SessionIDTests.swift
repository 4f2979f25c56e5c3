// Session ids: 256 random bits, strict parsing, never printed.
import GatewaySessions
import XCTest

final class SessionIDTests: XCTestCase {
    func testSessionIDsAreRandom256BitAndParsedStrictly() {
        let a = SessionID.generate()
        let b = SessionID.generate()
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a.value.utf8.count, 43)
        XCTAssertEqual(SessionID(a.value), a)
        XCTAssertEqual(a.storageKey, "session:" + a.value)
        XCTAssertNil(SessionID(String(a.value.dropLast())))
        XCTAssertNil(SessionID(a.value.dropLast() + "!"))
        XCTAssertFalse("\(a)".contains(a.value), "an id must not leak into logs")
    }
}
