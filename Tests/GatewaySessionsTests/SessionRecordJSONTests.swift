// The stored session form: compact, escaped, interchangeable with Foundation's Codable JSON.
import Foundation
import GatewaySessions
import XCTest

final class SessionRecordJSONTests: XCTestCase {
    private let record = SessionRecord(
        userID: "u_abc", provider: "corp", subject: "a:b/c", login: "q\"uote\\slash", email: "x@example.com",
        name: "Zoë 🐙\u{1}\n\t", identities: ["corp:a:b/c", "github:1"], createdAt: 1_700_000_000,
        expiresAt: 1_700_043_200, lastSeenAt: -3)

    func testEncodesCompactJSONWithEscapes() {
        let text = String(decoding: record.encodedJSON(), as: UTF8.self)
        XCTAssertEqual(
            text,
            #"{"userID":"u_abc","provider":"corp","subject":"a:b/c","login":"q\"uote\\slash","email":"x@example.com","#
                + #""name":"Zoë 🐙\u0001\n\t","identities":["corp:a:b/c","github:1"],"createdAt":1700000000,"#
                + #""expiresAt":1700043200,"lastSeenAt":-3}"#)
    }

    func testRoundTripsAndLeavesOutNilFields() {
        XCTAssertEqual(SessionRecord(json: record.encodedJSON()), record)
        var bare = record
        (bare.login, bare.email, bare.name, bare.identities) = (nil, nil, nil, [])
        XCTAssertFalse(String(decoding: bare.encodedJSON(), as: UTF8.self).contains("login"))
        XCTAssertEqual(SessionRecord(json: bare.encodedJSON()), bare)
    }

    func testInterchangeableWithFoundationCodable() throws {
        XCTAssertEqual(try JSONDecoder().decode(SessionRecord.self, from: Data(record.encodedJSON())), record)
        let foundation = try JSONEncoder().encode(record)  // escapes "/" as "\/"
        XCTAssertEqual(SessionRecord(json: Array(foundation)), record)
    }

    func testEmailVerifiedRoundTripsAndAnOldRecordReadsAsUnverified() throws {
        var verified = record
        verified.emailVerified = true
        let text = String(decoding: verified.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(text.contains(#""email":"x@example.com","emailVerified":true,"#), text)
        XCTAssertEqual(SessionRecord(json: verified.encodedJSON()), verified)
        XCTAssertEqual(try JSONDecoder().decode(SessionRecord.self, from: Data(verified.encodedJSON())), verified)
        XCTAssertEqual(SessionRecord(json: Array(try JSONEncoder().encode(verified))), verified)
        // Written before the field existed (that is also how `false` is written): unverified.
        XCTAssertFalse(text.replacingOccurrences(of: #","emailVerified":true"#, with: "").contains("emailVerified"))
        let old = SessionRecord(json: Array(text.replacingOccurrences(of: #","emailVerified":true"#, with: "").utf8))
        XCTAssertEqual(old?.email, "x@example.com")
        XCTAssertEqual(old?.emailVerified, false)
        XCTAssertNil(old?.verifiedEmail)
        XCTAssertEqual(SessionRecord(json: Array(text.replacingOccurrences(of: "true", with: "false").utf8))?.emailVerified, false)
        XCTAssertNil(SessionRecord(json: Array(text.replacingOccurrences(of: "true", with: "\"true\"").utf8)), "a bool only")
    }

    func testSealedTokensAndTheirExpiryRoundTripAndAreLeftOutWhenNil() throws {
        XCTAssertFalse(String(decoding: record.encodedJSON(), as: UTF8.self).contains("Tokens"))
        XCTAssertFalse(String(decoding: record.encodedJSON(), as: UTF8.self).contains("tokenExpiresAt"))
        var sealed = record
        sealed.sealedTokens = "AbC-_x"
        sealed.tokenExpiresAt = 1_700_003_600
        let text = String(decoding: sealed.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix(#""lastSeenAt":-3,"sealedTokens":"AbC-_x","tokenExpiresAt":1700003600}"#), text)
        XCTAssertEqual(SessionRecord(json: sealed.encodedJSON()), sealed)
        XCTAssertEqual(try JSONDecoder().decode(SessionRecord.self, from: Data(sealed.encodedJSON())), sealed)
        XCTAssertEqual(SessionRecord(json: Array(try JSONEncoder().encode(sealed))), sealed)
        var expiryOnly = record
        expiryOnly.tokenExpiresAt = 5
        XCTAssertEqual(SessionRecord(json: expiryOnly.encodedJSON()), expiryOnly)
        XCTAssertNil(SessionRecord(json: Array(text.replacingOccurrences(of: "1700003600", with: "\"x\"").utf8)))
        XCTAssertNil(SessionRecord(json: Array(text.replacingOccurrences(of: #""AbC-_x""#, with: "7").utf8)))
    }

    func testClientAddressAndSealedIDTokenRoundTripAndAreLeftOutWhenNil() throws {
        var full = record
        (full.clientAddress, full.sealedIDToken) = ("2001:db8::1", "c2VhbGVk-_x")
        let text = String(decoding: full.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix(#","clientAddress":"2001:db8::1","sealedIDToken":"c2VhbGVk-_x"}"#), text)
        XCTAssertEqual(SessionRecord(json: full.encodedJSON()), full)
        XCTAssertEqual(try JSONDecoder().decode(SessionRecord.self, from: Data(full.encodedJSON())), full)
        XCTAssertEqual(SessionRecord(json: Array(try JSONEncoder().encode(full))), full)
        let bare = String(decoding: record.encodedJSON(), as: UTF8.self)
        XCTAssertFalse(bare.contains("clientAddress") || bare.contains("sealedIDToken"), bare)
        XCTAssertNil(SessionRecord(json: record.encodedJSON())?.sealedIDToken)
    }

    func testSkipsUnknownKeysAndAcceptsNullsAndSurrogatePairs() {
        let json =
            #" { "future": {"a": [1, 2.5e3, true, null, "x"]}, "userID": "u\ud83d\udc19", "provider": "p", "#
            + #""subject": "s", "login": null, "identities": [], "createdAt": 1, "expiresAt": 2, "lastSeenAt": 3 } "#
        let parsed = SessionRecord(json: Array(json.utf8))
        XCTAssertEqual(parsed?.userID, "u🐙")
        XCTAssertNil(parsed?.login)
        XCTAssertEqual(parsed?.lastSeenAt, 3)
    }

    func testRejectsMalformedOrIncompleteRecords() {
        let good = String(decoding: record.encodedJSON(), as: UTF8.self)
        for bad in [
            "", "{}", "[]", String(good.dropLast()), good + "x",
            good.replacingOccurrences(of: "1700000000", with: "1.5"),
            good.replacingOccurrences(of: "\"userID\":\"u_abc\",", with: ""),
            good.replacingOccurrences(of: "u_abc", with: "u\u{1}"),
            good.replacingOccurrences(of: "1700000000", with: "99999999999999999999"),
            good.replacingOccurrences(of: "\\u0001", with: "\\ud83d"),
        ] {
            XCTAssertNil(SessionRecord(json: Array(bad.utf8)), bad)
        }
    }
}

extension SessionRecordJSONTests {
    func testSIDRoundTripsAndIsLeftOutWhenNil() throws {
        XCTAssertFalse(String(decoding: record.encodedJSON(), as: UTF8.self).contains("sid"))
        var withSID = record
        withSID.sid = "op-session \"1\""
        let text = String(decoding: withSID.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix(#","sid":"op-session \"1\""}"#), text)
        XCTAssertEqual(SessionRecord(json: withSID.encodedJSON()), withSID)
        XCTAssertEqual(try JSONDecoder().decode(SessionRecord.self, from: Data(withSID.encodedJSON())), withSID)
        XCTAssertEqual(SessionRecord(json: Array(try JSONEncoder().encode(withSID))), withSID)
    }
}
