// SIGTERM and SIGINT: stop accepting, let in-flight requests finish, exit 0. SIGHUP: reload.
// SIGUSR1: reopen the log files. All are handled on one queue, so they never overlap.
import Dispatch
import GatewayProxy
import Glibc

enum ShutdownSignals {
    private static let queue = DispatchQueue(label: "gateway.signals")
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var reporter: DispatchSourceTimer?

    static func install(server: GatewayServer, timeout: Duration, logs: Logs, reloader: ConfigReloader) {
        let maintenance = LogMaintenance(logs: logs)
        handle(SIGHUP) { if !started { reloader.reload() } }
        handle(SIGUSR1) { if !started { maintenance.reopen() } }
        if let metrics = server.metrics { maintenance.register(metrics) }
        reporter = maintenance.startReporting(on: queue)
        for number in [SIGTERM, SIGINT] {
            handle(number) { begin(server: server, timeout: timeout, logs: logs, signal: number) }
        }
    }

    /// The signal's default action off, and `handler` on `queue` whenever it arrives.
    private static func handle(_ number: Int32, _ handler: @escaping @Sendable () -> Void) {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
        source.setEventHandler(handler: handler)
        source.resume()
        sources.append(source)
    }

    nonisolated(unsafe) private static var started = false

    private static func begin(server: GatewayServer, timeout: Duration, logs: Logs, signal: Int32) {
        // Runs on `queue` only, so `started` needs no lock. A second signal exits at once.
        if started {
            // A second signal cuts the grace period short; with nothing in flight that is a clean exit.
            let open = server.activeConnections
            if open > 0 {
                logs.error.warning("second signal: exiting now", metadata: ["open_connections": .string(String(open))])
            }
            server.flushAccessLogs()
            logs.flush()
            exit(open > 0 ? 1 : 0)
        }
        started = true
        logs.error.notice(
            "shutting down", metadata: ["signal": .string(signal == SIGTERM ? "SIGTERM" : "SIGINT"),
                                        "open_connections": .string(String(server.activeConnections))])
        server.shutdown(timeout: timeout) { open in
            if open > 0 {
                logs.error.warning("shutdown timeout: closing open connections", metadata: ["open": .string(String(open))])
            } else {
                logs.error.notice("stopped")
            }
            server.flushAccessLogs()
            logs.flush()
            exit(0)
        }
    }
}
