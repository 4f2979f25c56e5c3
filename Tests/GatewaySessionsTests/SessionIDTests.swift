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
        // 43 characters that do not encode exactly 32 bytes (padding bits set) are refused.
        XCTAssertNil(SessionID(String(repeating: "A", count: 42) + "B"))
        XCTAssertNotNil(SessionID(String(repeating: "A", count: 42) + "E"))
        for _ in 0..<200 { XCTAssertNotNil(SessionID(SessionID.generate().value)) }
    }
}
