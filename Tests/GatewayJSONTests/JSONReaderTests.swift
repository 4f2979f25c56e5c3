// The byte-level reader for known-shape objects: members by name, unknown ones skipped.
import GatewayJSON
import XCTest

final class JSONReaderTests: XCTestCase {
    private func read(_ text: String) -> (name: String?, count: Int64?, tags: [String]?, ok: Bool)? {
        var r = JSONReader(Array(text.utf8))
        var name: String?
        var count: Int64?
        var tags: [String]?
        var flag: Bool?
        let ok = r.readObject { key, r in
            switch key {
            case "name": return r.readOptionalString(into: &name)
            case "count": return r.readInteger(into: &count)
            case "tags": return r.readStringArray(into: &tags)
            case "flag": return r.readBool(into: &flag)
            default: return r.skipValue()
            }
        }
        guard ok, r.atEnd else { return nil }
        return (name, count, tags, flag ?? false)
    }

    func testReadsKnownMembersAndSkipsTheRest() {
        let got = read(
            #" {"x": {"y": [1, -2.5e3, true, null, "z"]}, "name": "a\u00e9\ud83d\ude00", "count": -42, "#
                + #""tags": ["p", "q\n"], "flag": true} "#)
        XCTAssertEqual(got?.name, "aé😀")
        XCTAssertEqual(got?.count, -42)
        XCTAssertEqual(got?.tags, ["p", "q\n"])
        XCTAssertEqual(got?.ok, true)
        XCTAssertNil(read(#"{"name": null}"#)?.name)
        XCTAssertNotNil(read("{}"))
    }

    func testRefusesMalformedInput() {
        for text in [
            "", "{", "[]", #"{"count": 1.5}"#, #"{"count": 1e3}"#, #"{"count": 99999999999999999999}"#,
            #"{"name": "a"#, "{\"name\": \"\u{1}\"}", #"{"name": "\ud83d"}"#, #"{"name": "\udc00"}"#,
            #"{"x": 01}"#, #"{"x": -}"#, #"{"x": 1.}"#, #"{"x": [1,]}"#, #"{"name": "a",}"#, #"{"flag": "true"}"#,
            #"{"x": "#, #"{} x"#,
            String(repeating: #"{"x":"#, count: 40) + "1" + String(repeating: "}", count: 40),
        ] {
            XCTAssertNil(read(text), "accepted \(text.debugDescription)")
        }
        var r = JSONReader([0x22, 0x61, 0xFF, 0x22])
        XCTAssertNil(r.readString(), "invalid UTF-8 accepted")
    }
}
