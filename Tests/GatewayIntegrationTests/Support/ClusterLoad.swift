// Bounded background load for the cluster tests: authenticated GETs round the given cookies,
// each on a new connection, with every status and the slowest answer recorded.
import Foundation
import GatewayTestSupport

/// Thread-safety: `@unchecked Sendable`; results behind `lock`, the loop on its own thread.
final class ClusterLoad: @unchecked Sendable {
    struct Sample {
        var at: TimeInterval
        var status: Int
        var seconds: TimeInterval
    }

    private let lock = NSLock()
    private var samples: [Sample] = []
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)
    let started = Date()

    /// Runs until `stop()`, `limit` requests or `maximum` seconds, whichever comes first.
    init(port: Int, cookies: [String], limit: Int = 20_000, maximum: TimeInterval = 60) {
        Thread.detachNewThread { [self] in
            var n = 0
            while n < limit, Date().timeIntervalSince(started) < maximum, !lock.withLock({ stopping }) {
                let begin = Date()
                let status =
                    (try? RawHTTPClient(port: port, timeout: 10).request(
                        "GET", "/app/x",
                        headers: [
                            ("Cookie", "__gateway=\(cookies[n % cookies.count])"), ("Accept", "application/json"),
                        ]
                    ).status) ?? 0
                let sample = Sample(
                    at: begin.timeIntervalSince(started), status: status, seconds: Date().timeIntervalSince(begin))
                lock.withLock { samples.append(sample) }
                n += 1
            }
            done.signal()
        }
    }

    /// Stops and returns every sample.
    func stop() -> [Sample] {
        lock.withLock { stopping = true }
        done.wait()
        return lock.withLock { samples }
    }

    /// The statuses seen so far, by status.
    var counts: [Int: Int] {
        lock.withLock { Dictionary(samples.map { ($0.status, 1) }, uniquingKeysWith: +) }
    }

    static func summary(_ samples: [Sample]) -> String {
        let counts = Dictionary(samples.map { ($0.status, 1) }, uniquingKeysWith: +)
        let slowest = samples.map(\.seconds).max() ?? 0
        return
            "\(samples.count) requests, statuses \(counts.sorted { $0.key < $1.key }), slowest \(Int(slowest * 1000)) ms"
    }
}
