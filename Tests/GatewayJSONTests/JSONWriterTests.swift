// The one JSON escaper: what it escapes, what it replaces, and that the parser reads it back.
import GatewayJSON
import XCTest

final class JSONWriterTests: XCTestCase {
    func testEscapesEveryControlCharacterQuoteAndBackslash() {
        XCTAssertEqual(JSONWriter.quoted("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(JSONWriter.quoted("\n\r\t"), #""\n\r\t""#)
        XCTAssertEqual(
            JSONWriter.quoted("\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}"), #""\u0000\u0001\u0008\u000c\u001f\u007f""#)
        for byte in UInt8(0)..<0x20 {
            let text = JSONWriter.quoted(String(UnicodeScalar(byte)))
            XCTAssertFalse(text.utf8.contains { $0 < 0x20 }, "raw control byte \(byte) in \(text)")
        }
    }

    func testEscapesLineAndParagraphSeparators() {
        XCTAssertEqual(JSONWriter.quoted("a\u{2028}b\u{2029}c"), #""a\u2028b\u2029c""#)
        // Their neighbours in UTF-8 (E2 80 A7, E2 80 AA) are left alone.
        XCTAssertEqual(JSONWriter.quoted("\u{2027}\u{202A}"), "\"\u{2027}\u{202A}\"")
    }

    func testKeepsOtherUnicodeAsUTF8() {
        XCTAssertEqual(JSONWriter.quoted("Zoë 🐙 /"), "\"Zoë 🐙 /\"")
    }

    func testReplacesInvalidUTF8() {
        var w = JSONWriter()
        w.string(utf8: [0x61, 0xFF, 0x62, 0xC3])
        XCTAssertEqual(w.text, "\"a\u{FFFD}b\u{FFFD}\"")
    }

    func testWritesCommasBetweenMembersAndItems() {
        var w = JSONWriter()
        w.beginObject()
        w.field("s", "x")
        w.field("n", Int64(-3))
        w.field("b", true)
        w.field("none", nil as String?)
        w.field("list", ["a", "b"])
        w.key("nested")
        w.beginArray()
        w.beginObject()
        w.endObject()
        w.beginArray()
        w.endArray()
        w.number(2.5)
        w.raw("7")
        w.endArray()
        w.endObject()
        XCTAssertEqual(w.text, #"{"s":"x","n":-3,"b":true,"none":null,"list":["a","b"],"nested":[{},[],2.5,7]}"#)
    }

    func testRoundTripsThroughTheParser() {
        var all = ""
        for scalar in (0..<0x300).compactMap(Unicode.Scalar.init) { all.unicodeScalars.append(scalar) }
        all += "\u{2028}\u{2029}\u{FFFF}\u{1F600}"
        let value: JSONValue = ["text": .string(all), "list": ["\"", "\\", "\u{7F}"], "n": 1_700_000_000]
        XCTAssertEqual(JSONValue.parse(value.serialized), value)
        XCTAssertEqual(JSONValue.parse(JSONWriter.quoted(all)), .string(all))
    }
}
