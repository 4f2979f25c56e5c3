// Readiness: probes every upstream server with a TCP connect in the background and caches the result.
import Dispatch
import GatewayCore
import GatewayJSON
import Glibc
import Synchronization

/// Thread-safety: probes run on its own queue (blocking there is fine: it is not a loop);
/// the cached results sit behind a mutex and are read by the loops.
final class HealthMonitor: @unchecked Sendable {
    struct Probe: Sendable {
        let upstream: String
        let server: String
        let address: SocketAddress
    }

    private struct Result: Sendable {
        var checked = false
        var error: String?
    }

    private let probes: [Probe]
    private let interval: DispatchTimeInterval
    private let timeoutMillis: Int32
    private let results: Mutex<[Result]>
    private let queue = DispatchQueue(label: "gateway.health")
    private var timer: DispatchSourceTimer?
    /// Further dependencies (Redis): a name and a check returning why it is not ready, or nil.
    private let extraChecks: [(name: String, problem: @Sendable () -> String?)]

    init(upstreams: [UpstreamTarget], interval: Duration, extraChecks: [(name: String, problem: @Sendable () -> String?)] = []) {
        self.extraChecks = extraChecks
        probes = upstreams.flatMap { u in
            zip(u.serverNames, u.servers).map { Probe(upstream: u.name, server: $0, address: $1) }
        }
        let millis = Int(MonotonicClock.nanoseconds(interval) / 1_000_000)
        self.interval = .milliseconds(max(50, millis))
        // A probe never takes longer than the interval, nor longer than two seconds.
        timeoutMillis = Int32(min(2000, max(50, millis)))
        results = Mutex(Array(repeating: Result(), count: probes.count))
    }

    func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: interval, leeway: .milliseconds(20))
        timer.setEventHandler { [unowned self] in self.checkAll() }
        timer.resume()
        self.timer = timer
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    /// A reload: servers the old configuration probed start with its last result instead of
    /// "not checked yet", so /readyz does not flap while the first probes run.
    func inherit(from old: HealthMonitor) {
        let known = Dictionary(
            zip(old.probes.map { "\($0.upstream) \($0.server)" }, old.results.withLock { $0 }),
            uniquingKeysWith: { first, _ in first })
        let seeded = probes.map { known["\($0.upstream) \($0.server)"] ?? Result() }
        results.withLock { $0 = seeded }
    }

    struct Report {
        var ready: Bool
        var json: String
    }

    func report() -> Report {
        let snapshot = results.withLock { $0 }
        var failed: [String] = []
        var upstreams: [String] = []
        for (probe, result) in zip(probes, snapshot) {
            let status: String
            if !result.checked {
                status = "unknown"
                failed.append("upstream \(probe.upstream) server \(probe.server): not checked yet")
            } else if let error = result.error {
                status = "down"
                failed.append("upstream \(probe.upstream) server \(probe.server): \(error)")
            } else {
                status = "up"
            }
            upstreams.append(
                "{\"upstream\":\(JSONWriter.quoted(probe.upstream)),\"server\":\(JSONWriter.quoted(probe.server)),\"status\":\"\(status)\"}")
        }
        var dependencies: [String] = []
        for check in extraChecks {
            let problem = check.problem()
            if let problem { failed.append(problem) }
            dependencies.append("\(JSONWriter.quoted(check.name)):\"\(problem == nil ? "up" : "down")\"")
        }
        let ready = failed.isEmpty
        var json = "{\"status\":\"\(ready ? "ready" : "not ready")\",\"upstreams\":[" + upstreams.joined(separator: ",") + "]"
        if !dependencies.isEmpty { json += "," + dependencies.joined(separator: ",") }
        json += ",\"failed\":[" + failed.map(JSONWriter.quoted).joined(separator: ",") + "]}\n"
        return Report(ready: ready, json: json)
    }

    private func checkAll() {
        let outcomes = probes.map { Result(checked: true, error: Self.probe($0.address, timeoutMillis: timeoutMillis)) }
        results.withLock { $0 = outcomes }
    }

    /// nil when the server accepts a TCP connection within the timeout, else why not.
    static func probe(_ address: SocketAddress, timeoutMillis: Int32) -> String? {
        let fd: Int32
        switch Socket.connect(to: address) {
        case .connected(let f):
            Socket.close(f)
            return nil
        case .inProgress(let f): fd = f
        case .failed(let error): return String(describing: error)
        }
        defer { Socket.close(fd) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let n = poll(&pfd, 1, timeoutMillis)
        if n == 0 { return "connect timed out" }
        if n < 0 { return String(describing: SystemError("poll")) }
        let error = Socket.pendingError(fd)
        return error == 0 ? nil : String(describing: SystemError("connect", errno: error))
    }
}
