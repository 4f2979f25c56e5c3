// SessionRecord shares its fields between copies; it must still behave as a value.
import GatewaySessions
import XCTest

final class SessionRecordValueTests: XCTestCase {
    private func record() -> SessionRecord {
        var r = SessionRecord(
            userID: "u_1", provider: "github", subject: "1", email: "a@example.com", identities: ["github:1"],
            createdAt: 1, expiresAt: 100, lastSeenAt: 1)
        r.groups = ["admins"]
        return r
    }

    func testWritingACopyLeavesTheOriginalAlone() {
        let original = record()
        var copy = original
        XCTAssertEqual(copy, original)
        copy.userID = "u_2"
        copy.identities.append("google:9")
        copy.lastSeenAt = 50
        copy.groups = []
        XCTAssertEqual(original.userID, "u_1")
        XCTAssertEqual(original.identities, ["github:1"])
        XCTAssertEqual(original.lastSeenAt, 1)
        XCTAssertEqual(original.groups, ["admins"])
        XCTAssertEqual(copy.identities, ["github:1", "google:9"])
        XCTAssertNotEqual(copy, original)
    }

    func testRecordsWithEqualFieldsAreEqualAndOneFieldTellsThemApart() {
        let a = record()
        var b = record()  // its own storage
        XCTAssertEqual(a, b)
        b.emailVerified = true
        XCTAssertNotEqual(a, b)
        b.emailVerified = false
        b.claims = ["team": ["x"]]
        XCTAssertNotEqual(a, b)
        b.claims = [:]
        XCTAssertEqual(a, b)
        b.sid = "s"
        XCTAssertNotEqual(a, b)
    }
}
