// An access-log line stays one valid JSON object whatever bytes the client sent.

import Foundation
import GatewayCore
import GatewayLogging
import Logging
import XCTest

@testable import GatewayProxy

/// Renders each event the way the JSON handler writes it, into memory.
private final class CapturingHandler: LogHandler, @unchecked Sendable {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var lines: [String] = []
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lines.append(
            JSONLogHandler.render(
                label: "access", level: event.level, message: event.message.description, metadata: event.metadata ?? [:]
            ))
    }
}

final class AccessLogTests: XCTestCase {
    func testHostileMethodAndPathStayValidJSON() throws {
        let hostile: [(String, String)] = [
            ("-nan", "/\"quote\\back\u{0}\u{1f}\u{7f}"), ("-0x1F", "/line\u{2028}sep\u{2029}x"),
            ("1.", "/\n{\"injected\":1}"),
            ("-inf", String(decoding: [0x2F, 0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80], as: UTF8.self)), ("0123", "/%00"),
            ("-", "-"), ("200", "/ok"),
        ]
        for (method, path) in hostile {
            let handler = CapturingHandler()
            let log = AccessLog(logger: Logger(label: "access") { _ in handler })
            log.record(
                AccessLog.Entry(
                    client: "127.0.0.1", method: method, path: path, status: 200, bytes: 5, durationNanos: 1_234_567,
                    upstream: nil, upstreamNanos: nil))
            let line = try XCTUnwrap(handler.lines.first)
            XCTAssertFalse(line.contains("\n") || line.contains("\u{2028}"), "one line: \(line)")
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertEqual(object?["path"] as? String, path, line)
            if method != "200" { XCTAssertEqual(object?["method"] as? String, method, line) }
            XCTAssertEqual(object?["status"] as? Int, 200)
            XCTAssertEqual(object?["duration_ms"] as? Double, 1.234)
        }
    }
}
