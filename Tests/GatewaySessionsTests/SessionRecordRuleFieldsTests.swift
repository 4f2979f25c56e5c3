// The session's groups, teams and rule claims in the stored form: written only when present,
// read back equal, and absent from records written before they existed.
import Foundation
import GatewaySessions
import XCTest

final class SessionRecordRuleFieldsTests: XCTestCase {
    private let base = SessionRecord(
        userID: "u_1", provider: "corp", subject: "s", identities: ["corp:s"], createdAt: 1, expiresAt: 2,
        lastSeenAt: 1)

    private var full: SessionRecord {
        var record = base
        record.groups = ["Admins", "eng,ops", "\"q\""]
        record.teams = ["acme/platform"]
        record.claims = ["department": ["Engineering"], "roles": ["a", "b"], "level": ["3"]]
        return record
    }

    func testEmptyRuleFieldsAreLeftOut() {
        let text = String(decoding: base.encodedJSON(), as: UTF8.self)
        for key in ["groups", "teams", "claims"] { XCTAssertFalse(text.contains(key), text) }
    }

    func testRuleFieldsRoundTripInSortedCompactForm() {
        let text = String(decoding: full.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(
            text.hasSuffix(
                #""groups":["Admins","eng,ops","\"q\""],"teams":["acme/platform"],"#
                    + #""claims":{"department":["Engineering"],"level":["3"],"roles":["a","b"]}}"#), text)
        XCTAssertEqual(SessionRecord(json: full.encodedJSON()), full)
    }

    func testRuleFieldsAreInterchangeableWithFoundationCodable() throws {
        XCTAssertEqual(try JSONDecoder().decode(SessionRecord.self, from: Data(full.encodedJSON())), full)
        XCTAssertEqual(SessionRecord(json: Array(try JSONEncoder().encode(full))), full)
        XCTAssertEqual(SessionRecord(json: Array(try JSONEncoder().encode(base))), base)
    }

    func testOldRecordReadsWithEmptyRuleFields() throws {
        let old =
            #"{"userID":"u","provider":"p","subject":"s","identities":[],"createdAt":0,"expiresAt":9,"lastSeenAt":0,"#
            + #""organizations":["acme"]}"#
        let record = try XCTUnwrap(SessionRecord(json: Array(old.utf8)))
        XCTAssertEqual(record.organizations, ["acme"])
        XCTAssertEqual(record.groups, [])
        XCTAssertEqual(record.teams, [])
        XCTAssertEqual(record.claims, [:])
        let decoded = try JSONDecoder().decode(SessionRecord.self, from: Data(old.utf8))
        XCTAssertEqual(decoded.claims, [:])
    }

    func testMalformedClaimsRefuseTheRecord() {
        let text = String(decoding: base.encodedJSON(), as: UTF8.self).dropLast()
        for claims in [#""claims":{"a":"x"}"#, #""claims":["x"]"#, #""claims":{"a":[1]}"#] {
            XCTAssertNil(SessionRecord(json: Array((text + "," + claims + "}").utf8)), claims)
        }
    }
}
