// Load for the fault tests: clients asking named paths in a loop while something breaks, each
// answer kept with when it was asked, how long it took and its status (nil: no answer at all).
import Foundation
import GatewayTestSupport

/// Bounded in time (`maxSeconds`) and count (`maxRequests` over all clients); each request goes
/// on a new connection (so any loop may take it) and gives up after `requestTimeout`, which a
/// hang would reach.
final class FaultLoad: @unchecked Sendable {
    struct Target {
        var kind: String
        var path: String
        var headers: [(String, String)] = [("Accept", "application/json")]
    }

    struct Sample {
        var kind: String
        var sentAt: Date
        var latency: TimeInterval
        var status: Int?
        var answeredAt: Date { sentAt.addingTimeInterval(latency) }
    }

    private let port: Int
    private let targets: [Target]
    private let clientsPerTarget: Int
    private let maxSeconds: TimeInterval
    private let maxRequests: Int
    private let requestTimeout: Int
    private let lock = NSLock()
    private var recorded: [Sample] = []
    private var running = true
    private var threads: [Thread] = []

    init(
        port: Int, targets: [Target], clientsPerTarget: Int = 2, maxSeconds: TimeInterval = 60,
        maxRequests: Int = 40_000, requestTimeout: Int = 10
    ) {
        self.port = port
        self.targets = targets
        self.clientsPerTarget = clientsPerTarget
        self.maxSeconds = maxSeconds
        self.maxRequests = maxRequests
        self.requestTimeout = requestTimeout
    }

    func start() {
        let perClient = maxRequests / max(1, targets.count * clientsPerTarget)
        for target in targets {
            for _ in 0..<clientsPerTarget {
                let thread = Thread { [self] in run(target, count: perClient) }
                threads.append(thread)
                thread.start()
            }
        }
    }

    private func run(_ target: Target, count: Int) {
        let deadline = Date().addingTimeInterval(maxSeconds)
        var sent = 0
        while isRunning && Date() < deadline && sent < count {
            sent += 1
            let start = Date()
            let status = try? RawHTTPClient(port: port, timeout: requestTimeout).request(
                "GET", target.path, headers: target.headers
            ).status
            let sample = Sample(kind: target.kind, sentAt: start, latency: Date().timeIntervalSince(start), status: status)
            lock.lock()
            recorded.append(sample)
            lock.unlock()
            // A short pause: the machine is shared, and the point is a steady stream, not a flood.
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Everything answered so far (or given up on) for `kind`, in no particular order.
    func samples(_ kind: String? = nil) -> [Sample] {
        lock.lock()
        defer { lock.unlock() }
        return kind.map { k in recorded.filter { $0.kind == k } } ?? recorded
    }

    /// Stops the clients and waits for them (each request ends within `requestTimeout`).
    @discardableResult
    func stop() -> [Sample] {
        lock.lock()
        running = false
        lock.unlock()
        waitUntil(timeout: TimeInterval(requestTimeout) + 10, interval: 0.02) { !threads.contains { $0.isExecuting } }
        return samples()
    }

    /// The `p`-th percentile (0...100) of `values`, nearest rank; 0 for none.
    static func percentile(_ values: [TimeInterval], _ p: Double) -> TimeInterval {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// `p50 … ms, p99 … ms, max … ms (n)` for a report line.
    static func summary(_ samples: [Sample]) -> String {
        let latencies = samples.map(\.latency)
        func ms(_ t: TimeInterval) -> String { String(format: "%.1f", t * 1000) }
        return "p50 \(ms(percentile(latencies, 50))) ms, p99 \(ms(percentile(latencies, 99))) ms, "
            + "max \(ms(latencies.max() ?? 0)) ms (\(samples.count) requests)"
    }
}
