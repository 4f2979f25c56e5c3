// An access-log line stays one valid JSON object whatever bytes the client sent, in the field
// order the JSON log handler uses for every other line.

import Foundation
import GatewayCore
import GatewayJSON
import XCTest

@testable import GatewayProxy

final class AccessLogTests: XCTestCase {
    private func line(_ e: AccessLog.Entry) -> String {
        var clock = LogTimestamp()
        var w = JSONWriter()
        AccessLog.append(e, time: &clock, to: &w)
        return w.text
    }

    func testHostileMethodAndPathStayValidJSON() throws {
        let hostile: [(String, String)] = [
            ("-nan", "/\"quote\\back\u{0}\u{1f}\u{7f}"), ("-0x1F", "/line\u{2028}sep\u{2029}x"),
            ("1.", "/\n{\"injected\":1}"),
            ("-inf", String(decoding: [0x2F, 0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80], as: UTF8.self)), ("0123", "/%00"),
            ("-", "-"), ("200", "/ok"),
        ]
        for (method, path) in hostile {
            let text = line(
                AccessLog.Entry(
                    client: "127.0.0.1", method: method, path: Array(path.utf8), status: 200, bytes: 5, durationNanos: 1_234_567,
                    upstream: nil, upstreamNanos: nil))
            XCTAssertTrue(text.hasSuffix("}\n"), text)
            let one = String(text.dropLast())
            XCTAssertFalse(one.contains("\n") || one.contains("\u{2028}"), "one line: \(one)")
            let object = try JSONSerialization.jsonObject(with: Data(one.utf8)) as? [String: Any]
            XCTAssertEqual(object?["path"] as? String, path, one)
            XCTAssertEqual(object?["method"] as? String, method, "a method is a string, even \"200\": \(one)")
            XCTAssertEqual(object?["status"] as? Int, 200)
            XCTAssertEqual(object?["duration_ms"] as? Double, 1.234)
        }
    }

    func testFieldsComeInTheHandlersOrderWithNumbersAsNumbers() throws {
        var clock = LogTimestamp()
        var w = JSONWriter()
        let e = AccessLog.Entry(
            client: "192.0.2.1", method: "GET", path: Array("/a?b=1".utf8), status: 502, bytes: 17, durationNanos: 12_000_000,
            upstream: "127.0.0.1:3000", upstreamNanos: 3_456_000, requestID: Array("r1".utf8)[...], traceID: Array("t1".utf8)[...])
        AccessLog.append(e, time: &clock, to: &w)
        AccessLog.append(AccessLog.Entry.rejected(client: "192.0.2.2", status: 400), time: &clock, to: &w)
        let lines = w.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, "one line each, no comma between them")
        let first = try XCTUnwrap(lines.first)
        let time = try XCTUnwrap(first.range(of: #""time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z""#, options: .regularExpression))
        XCTAssertEqual(
            first.replacingCharacters(in: time, with: #""time":"T""#),
            #"{"time":"T","level":"info","log":"access","msg":"request","bytes":17,"client":"192.0.2.1","#
                + #""duration_ms":12.000,"method":"GET","path":"/a?b=1","request_id":"r1","status":502,"#
                + #""trace_id":"t1","upstream":"127.0.0.1:3000","upstream_ms":3.456}"#)
        XCTAssertTrue(lines[1].contains(#""method":"-","path":"-","status":400}"#), lines[1])
    }

    func testABrokenOffAnswerIsMarkedIncomplete() throws {
        var clock = LogTimestamp()
        var w = JSONWriter()
        let e = AccessLog.Entry(
            client: "192.0.2.1", method: "GET", path: Array("/big".utf8), status: 200, bytes: 3000, durationNanos: 1_000_000,
            upstream: "127.0.0.1:3000", upstreamNanos: 500_000, incomplete: true)
        AccessLog.append(e, time: &clock, to: &w)
        XCTAssertTrue(w.text.contains(#""duration_ms":1.000,"incomplete":true,"method":"GET""#), w.text)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(w.text.utf8)))
    }
}
