// Authenticated requests in a loop against one gateway, each on a new connection and bounded in
// time, recording when each started, how long it took and what it answered; bounded in count.
import Foundation
import GatewayTestSupport

/// Thread-safety: `@unchecked Sendable`; the samples are behind a lock, the thread owns the rest.
final class FailoverLoad: @unchecked Sendable {
    struct Sample {
        /// Seconds since the load started.
        var start: TimeInterval
        var latency: TimeInterval
        /// The HTTP status, or -1 when the request failed or timed out (a hang).
        var status: Int
    }

    /// Longer than this is a hang: the socket's receive timeout.
    static let requestTimeout = 5
    private let port: Int
    private let cookie: String
    private let maxRequests: Int
    private let lock = NSLock()
    private var samples: [Sample] = []
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)
    let began = Date()

    init(port: Int, cookie: String, maxRequests: Int = 20_000) {
        self.port = port
        self.cookie = cookie
        self.maxRequests = maxRequests
        Thread.detachNewThread { [self] in run() }
    }

    private func run() {
        defer { done.signal() }
        for _ in 0..<maxRequests {
            if lock.withLock({ stopped }) { return }
            let start = Date()
            var status = -1
            if let client = try? RawHTTPClient(port: port, timeout: Self.requestTimeout),
                let response = try? client.request(
                    "GET", "/app/load", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")])
            {
                status = response.status
            }
            let sample = Sample(
                start: start.timeIntervalSince(began), latency: Date().timeIntervalSince(start), status: status)
            lock.withLock { samples.append(sample) }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    var snapshot: [Sample] { lock.withLock { samples } }

    /// Stops the loop and waits for its last request (bounded by the request timeout).
    func stop() -> [Sample] {
        lock.withLock { stopped = true }
        _ = done.wait(timeout: .now() + .seconds(Self.requestTimeout + 5))
        return snapshot
    }

    /// The first 200 after the first failure among the requests started from `offset` (seconds
    /// since the load began): a request already in flight at the kill may still have succeeded.
    func recovery(after offset: TimeInterval) -> Sample? {
        let later = snapshot.filter { $0.start >= offset }
        guard let failed = later.firstIndex(where: { $0.status != 200 }) else { return nil }
        return later[failed...].first { $0.status == 200 }
    }
}
