// JSONWriter's byte paths: ASCII bytes quoted without a String, others decoded as UTF-8, and
// milliseconds with exactly three decimals.
import XCTest

@testable import GatewayJSON

final class JSONWriterBytesTests: XCTestCase {
    private func written(_ body: (inout JSONWriter) -> Void) -> String {
        var w = JSONWriter()
        body(&w)
        return w.text
    }

    func testBytesAreEscapedLikeStringsAndInvalidUTF8BecomesReplacement() {
        let ascii: [UInt8] = Array("/a\"b\\c\u{1}".utf8)
        XCTAssertEqual(written { $0.string(bytes: ascii) }, written { $0.string(String(decoding: ascii, as: UTF8.self)) })
        XCTAssertEqual(written { $0.string(bytes: ascii) }, #""/a\"b\\c\u0001""#)
        let invalid: [UInt8] = [0x2F, 0xFF, 0xC3, 0x28]
        XCTAssertEqual(written { $0.string(bytes: invalid) }, "\"/\u{FFFD}\u{FFFD}(\"")
        let separator: [UInt8] = Array("x\u{2028}y".utf8)
        XCTAssertEqual(written { $0.string(bytes: separator) }, #""x\u2028y""#)
    }

    func testThousandthsHaveThreeDecimals() {
        XCTAssertEqual(written { $0.thousandths(12_034) }, "12.034")
        XCTAssertEqual(written { $0.thousandths(5) }, "0.005")
        XCTAssertEqual(written { $0.thousandths(0) }, "0.000")
        XCTAssertEqual(written { $0.thousandths(1_000) }, "1.000")
        XCTAssertEqual(
            written {
                $0.beginObject()
                $0.key("a")
                $0.thousandths(1_500)
                $0.field("b", bytes: Array("c".utf8))
                $0.endObject()
            }, #"{"a":1.500,"b":"c"}"#)
    }

    func testIntegersAreWrittenDigitByDigitAsStringWouldWriteThem() {
        let values: [Int64] = [0, 7, 9, 10, 99, 100, 1_234_567, -1, -10, -9_007_199_254_740_993, .max, .min]
        for n in values { XCTAssertEqual(written { $0.number(n) }, String(n)) }
        XCTAssertEqual(written { $0.thousandths(.max) }, String(UInt64.max / 1000) + ".615")
        XCTAssertEqual(written { $0.thousandths(10_000_001) }, "10000.001")
    }

    func testPiecesGetNoCommaAndValuesAfterThemNone() {
        let text = written {
            $0.piece(#"{"a":"#)
            $0.number(Int64(1))
            $0.piece(#","b":"#)
            $0.string("x")
            $0.piece("}\n")
            $0.piece(#"{"c":"#)
            $0.bool(true)
            $0.piece("}")
        }
        XCTAssertEqual(text, "{\"a\":1,\"b\":\"x\"}\n{\"c\":true}")
    }
}
