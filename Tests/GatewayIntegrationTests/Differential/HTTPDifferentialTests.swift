// The request parser against llhttp (Node's parser, lenient flags off) on 2,000+ generated requests:
// Fixtures/differential/ makes the cases and llhttp's verdicts; this test runs ours and compares.
import Foundation
import XCTest

final class HTTPDifferentialTests: XCTestCase {
    private struct Case: Decodable {
        var id: String
        var hex: String
        var llhttp: DifferentialVerdict
    }

    private struct Corpus: Decodable {
        var llhttp: String
        var cases: [Case]
    }

    private static let directory = TestPaths.fixtures.appendingPathComponent("differential")

    func testAgreesWithLLHTTPExceptListedStricterCases() throws {
        let corpus = try generate()
        XCTAssertGreaterThanOrEqual(corpus.cases.count, 2000, "the generator makes at least 2,000 cases")
        let table = try StricterTable(contentsOf: Self.directory.appendingPathComponent("stricter.tsv"))
        let known = try StricterTable(contentsOf: Self.directory.appendingPathComponent("lenient.tsv"))
        var lenientSeen = Set<String>()
        var counts: [String: Int] = [:]
        var stricterSeen = Set<String>()
        var unlisted: [String] = []
        for (index, item) in corpus.cases.enumerated() {
            let bytes = Self.bytes(hex: item.hex)
            let outcome = DifferentialOutcome(bytes: bytes, llhttp: item.llhttp)
            // The same verdict when the bytes arrive in two reads, split at a point fixed by the case's index.
            let split = (index &* 7919) % (bytes.count + 1)
            let whole = DifferentialVerdict.ours(bytes)
            let twoReads = DifferentialVerdict.ours(bytes, split: split)
            XCTAssertEqual(twoReads, whole, "\(item.id) split at \(split): \(twoReads) vs \(whole)")
            counts[outcome.kind, default: 0] += 1
            switch outcome {
            case .agree, .rejectsAtLineEnd:
                continue
            case .stricter(let ourError):
                stricterSeen.insert(item.id)
                guard let entry = table.entries[item.id] else {
                    let theirs = "\(item.llhttp.state) \(item.llhttp.error ?? "")"
                    unlisted.append("\(item.id)\t\(ourError)\t(llhttp: \(theirs))")
                    continue
                }
                XCTAssertEqual(entry.ourError, ourError, "stricter.tsv:\(entry.line): \(item.id) now fails otherwise")
            case .lenient(let detail):
                lenientSeen.insert(item.id)
                if known.entries[item.id] == nil {
                    XCTFail("MORE LENIENT than llhttp (a bug): \(item.id) [\(item.hex)]: \(detail)")
                }
            case .mismatch(let detail):
                XCTFail("framing differs from llhttp: \(item.id) [\(item.hex)]: \(detail)")
            }
        }
        XCTAssertTrue(
            unlisted.isEmpty, "stricter than llhttp but not in stricter.tsv:\n" + unlisted.joined(separator: "\n"))
        Self.failOnStale(table, seen: stricterSeen, file: "stricter.tsv")
        Self.failOnStale(known, seen: lenientSeen, file: "lenient.tsv")
        let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("differential: \(corpus.cases.count) cases against llhttp \(corpus.llhttp): \(summary)")
    }

    private static func failOnStale(_ table: StricterTable, seen: Set<String>, file: String) {
        for (id, entry) in table.entries.sorted(by: { $0.value.line < $1.value.line }) where !seen.contains(id) {
            XCTFail("\(file):\(entry.line): \(id) no longer differs that way from llhttp; remove the line")
        }
    }

    /// Runs the generator and llhttp; a missing llhttp fails the test (deploy/test installs it).
    private func generate() throws -> Corpus {
        let out = TestPaths.temporaryDirectory().appendingPathComponent("cases.json")
        defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.python)
        process.arguments = [Self.directory.appendingPathComponent("llhttp_oracle.py").path, out.path]
        process.currentDirectoryURL = Self.directory
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratorFailed(
                description: "llhttp_oracle.py exited \(process.terminationStatus): "
                    + String(decoding: stderr, as: UTF8.self))
        }
        return try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: out))
    }

    private struct GeneratorFailed: Error, CustomStringConvertible {
        var description: String
    }

    private static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        var out = [UInt8](repeating: 0, count: digits.count / 2)
        func value(_ d: UInt8) -> UInt8 { d <= 0x39 ? d - 0x30 : d - 0x61 + 10 }
        for i in out.indices { out[i] = value(digits[2 * i]) << 4 | value(digits[2 * i + 1]) }
        return out
    }
}
