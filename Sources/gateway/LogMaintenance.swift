// The log files over time: SIGUSR1 reopens them (logrotate), and dropped lines are reported.
import Dispatch
import Glibc
import GatewayCore
import GatewayMetrics
import Logging

/// Runs on the signals queue. Reopening is nginx's `kill -USR1`: logrotate moves the file, the
/// gateway opens a new one under the old name and writes on there.
struct LogMaintenance: Sendable {
    let logs: Logs
    /// How often dropped lines are reported in the error log (at most one line per period).
    static let reportInterval: DispatchTimeInterval = .seconds(10)

    /// Reopens every file sink; a sink whose file cannot be opened keeps the old one.
    func reopen() {
        for (name, sink) in logs.named where sink.path != nil {
            do {
                try sink.reopen()
                logs.error.notice("log reopened", metadata: ["log": .string(name), "path": .string(sink.path ?? "")])
            } catch {
                logs.error.error(
                    "cannot reopen log; writing on to the old file",
                    metadata: ["log": .string(name), "error": .string("\(error)")])
            }
        }
    }

    /// `gateway_log_lines_dropped_total{log}` at each scrape.
    func register(_ metrics: GatewayMetrics) {
        for (name, sink) in logs.named {
            metrics.counter(MetricCatalog.logLinesDropped, labels: [("log", name)]) { sink.droppedLines }
        }
    }

    /// Every `reportInterval`, a warning when a log dropped lines since the last one.
    func startReporting(on queue: DispatchQueue) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        nonisolated(unsafe) var reported = logs.named.map { _ in 0 }
        timer.setEventHandler { [logs] in
            for (i, (name, sink)) in logs.named.enumerated() {
                let dropped = sink.droppedLines
                guard dropped > reported[i] else { continue }
                let errno = sink.failingErrno
                logs.error.warning(
                    "log lines dropped",
                    metadata: [
                        "log": .string(name), "dropped": .string(String(dropped - reported[i])),
                        "total": .string(String(dropped)),
                        "error": .string(errno == 0 ? "too many lines waiting" : String(cString: strerror(errno))),
                    ])
                reported[i] = dropped
            }
        }
        timer.schedule(deadline: .now() + Self.reportInterval, repeating: Self.reportInterval)
        timer.resume()
        return timer
    }
}
