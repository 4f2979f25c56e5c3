// Dropping an unread request body: where it ends, and when it is too large to bother.
import GatewayHTTP
import XCTest

@testable import GatewayProxy

final class BodyDiscardTests: XCTestCase {
    private func feed(_ discard: inout BodyDiscard, _ text: String) -> (Int, BodyDiscard.Outcome) {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBytes { discard.feed($0) }
        return (result.used, result.outcome)
    }

    func testStopsAtTheEndOfALengthBodyAndLeavesTheNextRequest() {
        var discard = BodyDiscard(decoder: HTTPBodyDecoder(framing: .length(5)))
        XCTAssertEqual(feed(&discard, "he").1, .needMore)
        let (used, outcome) = feed(&discard, "lloGET / HTTP/1.1\r\n")
        XCTAssertEqual(used, 3)
        XCTAssertEqual(outcome, .complete)
    }

    func testDropsChunksSplitAnywhere() {
        var discard = BodyDiscard(decoder: HTTPBodyDecoder(framing: .chunked))
        var outcome = BodyDiscard.Outcome.needMore
        for piece in ["4\r", "\nab", "cd\r\n0\r", "\n\r\n"] {
            var rest = piece
            while !rest.isEmpty && outcome == .needMore {
                let (used, o) = feed(&discard, rest)
                outcome = o
                if used == 0 { break }
                rest = String(rest.utf8.dropFirst(used))!
            }
        }
        XCTAssertEqual(outcome, .complete)
    }

    func testAChunkedBodyOverTheLimitIsTooLarge() {
        var discard = BodyDiscard(decoder: HTTPBodyDecoder(framing: .chunked))
        let chunk = "1000\r\n" + String(repeating: "x", count: 4096) + "\r\n"
        var outcome = BodyDiscard.Outcome.needMore
        for _ in 0..<20 where outcome == .needMore { outcome = feed(&discard, chunk).1 }
        XCTAssertEqual(outcome, .tooLarge)
    }

    func testBrokenFramingIsInvalid() {
        var discard = BodyDiscard(decoder: HTTPBodyDecoder(framing: .chunked))
        XCTAssertEqual(feed(&discard, "zz\r\n").1, .invalid)
    }

    func testOnlyBodiesThatMayFitAreTried() {
        XCTAssertTrue(BodyDiscard.mayFit(.length(UInt64(BodyDiscard.limit))))
        XCTAssertFalse(BodyDiscard.mayFit(.length(UInt64(BodyDiscard.limit) + 1)))
        XCTAssertTrue(BodyDiscard.mayFit(.chunked))
        XCTAssertFalse(BodyDiscard.mayFit(.untilClose))
    }
}
