// Helpers shared by the GatewayConfig tests: load text, collect messages, make temporary files.

import Foundation
import XCTest

@testable import GatewayConfig

/// One named input and the exact messages it must produce.
struct ConfigCase {
    var name: String
    var text: String
    /// `file:line:column: message`, in order; empty when the text is valid.
    var expected: [String]
    var environment: [String: String] = [:]
}

enum TestConfig {
    static let file = "gateway.conf"

    /// Every message a load reports, as `file:line:column: message`; empty when it succeeds.
    static func messages(
        _ text: String, environment: [String: String] = [:], signInAvailable: Bool = false,
        baseDirectory: String = "."
    ) -> [String] {
        do {
            _ = try load(
                text, environment: environment, signInAvailable: signInAvailable,
                baseDirectory: baseDirectory)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    static func load(
        _ text: String, environment: [String: String] = [:], signInAvailable: Bool = false,
        baseDirectory: String = "."
    ) throws(ConfigErrors) -> GatewayConfiguration {
        try ConfigLoader.load(
            text: text, file: file, environment: environment, baseDirectory: baseDirectory,
            canonicalPath: nil, signInAvailable: signInAvailable)
    }

    /// Checks each case and names the failing one.
    static func check(_ cases: [ConfigCase], file: StaticString = #filePath, line: UInt = #line) {
        for testCase in cases {
            let actual = messages(testCase.text, environment: testCase.environment)
            XCTAssertEqual(
                actual, testCase.expected,
                "case \"\(testCase.name)\":\n  got:\n    \(actual.joined(separator: "\n    "))",
                file: file, line: line)
        }
    }
}

/// A directory under /tmp that is removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base =
            NSTemporaryDirectory().hasSuffix("/")
            ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((base + "gateway-config-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: created)
    }

    /// Writes `text` to `name` (creating parent directories) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let full = path + "/" + name
        let directory = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
        return full
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
