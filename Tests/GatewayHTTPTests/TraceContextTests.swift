// W3C traceparent and request ids, byte by byte.

import GatewayHTTP
import XCTest

final class TraceContextTests: XCTestCase {
    private func valid(_ s: String) -> Bool { TraceContext.isValidTraceParent(Array(s.utf8)[...]) }

    func testTheSpecsExampleAndItsBrokenSpellings() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        XCTAssertTrue(valid(good))
        XCTAssertTrue(valid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
        let bad = [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",  // short
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper-case hex
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // version 00 has nothing after
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        ]
        for s in bad { XCTAssertFalse(valid(s), s) }
        XCTAssertTrue(valid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"), "a later version may add fields")
        XCTAssertFalse(valid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01later"))
        XCTAssertEqual(String(decoding: TraceContext.traceID(Array(good.utf8)[...]), as: UTF8.self), "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    func testANewTraceParentIsVersion00AndValid() {
        let tp = TraceContext.traceParent(trace: (0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210), parent: 0xa)
        XCTAssertEqual(String(decoding: tp, as: UTF8.self), "00-0123456789abcdeffedcba9876543210-000000000000000a-00")
        XCTAssertTrue(TraceContext.isValidTraceParent(tp[...]))
    }

    func testANewRequestsIdAndTraceParentInOneArrayAreTheTwoMadeApart() {
        let trace: (UInt64, UInt64) = (0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210)
        let both = TraceContext.requestIDAndTraceParent(trace: trace, parent: 0xa)
        XCTAssertEqual(both.count, 87)
        XCTAssertEqual(Array(both[..<32]), TraceContext.hex(trace))
        XCTAssertEqual(Array(both[32...]), TraceContext.traceParent(trace: trace, parent: 0xa))
        XCTAssertTrue(TraceContext.isValidTraceParent(both[32...]))
        XCTAssertEqual(TraceContext.traceID(both[32...]), both[..<32], "the trace's id is the request id")
    }

    func testA128BitIdIsThirtyTwoLowercaseHexDigits() {
        XCTAssertEqual(
            String(decoding: TraceContext.hex((0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210)), as: UTF8.self),
            "0123456789abcdeffedcba9876543210")
        XCTAssertEqual(String(decoding: TraceContext.hex((0, 15)), as: UTF8.self), String(repeating: "0", count: 31) + "f")
    }

    func testRequestIdsMayBeCommonIdFormatsButNothingThatBreaksALineOrAHeader() {
        for ok in ["a", "3f2a9c1e-8b4d-4e6f-9a7b-1c2d3e4f5a6b", "Root=1-5759e988-bd862e3fe1be46a994272793", "req_1/2:3+4=5@x.y"] {
            XCTAssertTrue(TraceContext.isAcceptableRequestID(Array(ok.utf8)[...]), ok)
        }
        for bad in ["", "a b", "a\"b", "a\\b", "a,b", "é", String(repeating: "x", count: 129), "a\tb", "{x}"] {
            XCTAssertFalse(TraceContext.isAcceptableRequestID(Array(bad.utf8)[...]), bad)
        }
    }
}
