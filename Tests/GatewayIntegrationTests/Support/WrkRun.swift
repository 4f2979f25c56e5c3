// One bounded run of Debian's wrk against a URL, and the figures read from its output.
import Foundation
import GatewayTestSupport
import XCTest

struct WrkRun {
    let requests: Int
    let p50: Double
    let p99: Double
    /// Answers other than 2xx/3xx, plus connect, read, write and timeout errors.
    let errors: Int
    let output: String

    /// Runs `wrk -t threads -c connections -d seconds --latency URL`; killed if it overruns.
    init(url: String, threads: Int = 1, connections: Int, seconds: Int, directory: URL) throws {
        let child = try FixtureProcess(
            executable: "/usr/bin/wrk",
            arguments: ["-t", String(threads), "-c", String(connections), "-d", "\(seconds)s", "--latency", url],
            directory: directory, name: "wrk-\(UUID().uuidString.prefix(8))")
        let status = child.waitForExit(timeout: TimeInterval(seconds + 30))
        output = child.stdout
        guard status == 0 else { throw TestFailure("wrk exited with \(status): \(output)\n\(child.stderr)") }
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func field(_ prefix: String) -> [Substring]? {
            lines.first { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count).split(separator: " ") }
        }
        guard let p50 = field("50%")?.first.flatMap(Self.milliseconds),
            let p99 = field("99%")?.first.flatMap(Self.milliseconds),
            let requests = lines.first(where: { $0.contains("requests in") })?.split(separator: " ").first
                .flatMap({ Int($0) })
        else { throw TestFailure("cannot read wrk's output: \(output)") }
        self.p50 = p50
        self.p99 = p99
        self.requests = requests
        var errors = field("Non-2xx or 3xx responses:")?.last.flatMap { Int($0) } ?? 0
        if let socket = field("Socket errors:") {
            errors += socket.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }.reduce(0, +)
        }
        self.errors = errors
    }

    /// wrk's latency ("512.00us", "1.20ms", "1.01s") in milliseconds.
    static func milliseconds(_ text: Substring) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
