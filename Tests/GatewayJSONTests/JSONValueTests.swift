// The strict JSON reader under JOSE: what it accepts, what it refuses, and round trips.
import GatewayJSON
import XCTest

final class JSONValueTests: XCTestCase {
    func testParsesEveryKindOfValue() {
        let value = JSONValue.parse(#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00"} "#)
        XCTAssertEqual(
            value,
            .object([
                "a": [1, -2500, true, false, .null],
                "s": .string("x\"\\/\n\u{e9}\u{1F600}"),
            ]))
    }

    func testRefusesDuplicateKeys() {
        XCTAssertNil(JSONValue.parse(#"{"alg":"RS256","alg":"none"}"#))
    }

    func testRefusesNonStrictJSON() {
        for text in [
            "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "'a'", "{a:1}", "[1] x", "\"\u{01}\"",
            #""\ud800""#, #""\udc00""#, #""\x""#, "NaN", "tru", "[1 2]", "{\"a\" 1}",
        ] {
            XCTAssertNil(JSONValue.parse(text), "accepted \(text.debugDescription)")
        }
        XCTAssertNil(JSONValue.parse([0x22, 0xFF, 0x22]), "invalid UTF-8 accepted")
    }

    func testRefusesDeepNesting() {
        XCTAssertNotNil(JSONValue.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
        XCTAssertNil(JSONValue.parse(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)))
        XCTAssertNil(JSONValue.parse(String(repeating: "[", count: 100_000)))
    }

    func testSerializesDeterministicallyAndRoundTrips() {
        let value: JSONValue = ["b": [1, 2.5, "t\u{01}\"x"], "a": .null, "c": ["d": false]]
        XCTAssertEqual(value.serialized, #"{"a":null,"b":[1,2.5,"t\u0001\"x"],"c":{"d":false}}"#)
        XCTAssertEqual(JSONValue.parse(value.serialized), value)
    }

    func testLargeIntegersKeepTheirDigits() {
        XCTAssertEqual(JSONValue.parse("1700000000")?.numberValue, 1_700_000_000)
        XCTAssertEqual(JSONValue.number(1_700_000_000).serialized, "1700000000")
    }
}
