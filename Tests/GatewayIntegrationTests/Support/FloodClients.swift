// deploy/lib/flood-clients.py: thousands of trickling and idle connections, and what it reports.
import Foundation
import GatewayTestSupport

final class FloodClients {
    let child: FixtureProcess

    struct Counts {
        let fields: [String: Double]
        subscript(_ name: String) -> Int { Int(fields[name] ?? -1) }
        func seconds(_ name: String) -> Double { fields[name] ?? -1 }
        var description: String {
            fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    init(
        port: Int, directory: URL, trickle: Int = 0, idleDone: Int = 0, idleSilent: Int = 0, hold: TimeInterval,
        path: String = "/", reuse: Bool = false
    ) throws {
        var arguments = [
            "--port", String(port), "--path", path, "--trickle", String(trickle), "--idle-done", String(idleDone),
            "--idle-silent", String(idleSilent), "--hold", String(hold),
        ]
        if reuse { arguments.append("--reuse") }
        child = try FixtureProcess.python(
            script: TestPaths.root.appendingPathComponent("deploy/lib/flood-clients.py").path, arguments: arguments,
            directory: directory)
    }

    /// The `ready` line: every connection opened (or refused).
    func ready(timeout: TimeInterval = 90) throws -> Counts {
        try child.waitFor("the flood to open its connections", timeout: timeout, in: { child.stdout }) {
            Self.line("ready", in: $0)
        }
    }

    /// The latest `status` line.
    var status: Counts? { Self.line("status", in: child.stdout, last: true) }

    /// The `reused` line, printed after the hold ends.
    func reused(timeout: TimeInterval) throws -> Counts {
        try child.waitFor("the second requests", timeout: timeout, in: { child.stdout }) { Self.line("reused", in: $0) }
    }

    func stop() { child.stop() }

    private static func line(_ word: String, in text: String, last: Bool = false) -> Counts? {
        let lines = text.split(separator: "\n").filter { $0.hasPrefix(word + " ") }
        guard let line = last ? lines.last : lines.first else { return nil }
        var fields: [String: Double] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { fields[String(parts[0])] = value }
        }
        return Counts(fields: fields)
    }
}
