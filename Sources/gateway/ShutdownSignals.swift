// SIGTERM and SIGINT: stop accepting, let in-flight requests finish, exit 0. SIGHUP: reload.
// All three are handled on one queue, so a reload and a shutdown never overlap.
import Dispatch
import GatewayProxy
import Glibc

enum ShutdownSignals {
    private static let queue = DispatchQueue(label: "gateway.signals")
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install(server: GatewayServer, timeout: Duration, logs: Logs, reloader: ConfigReloader) {
        signal(SIGHUP, SIG_IGN)
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangUp.setEventHandler { @Sendable in
            if !started { reloader.reload() }
        }
        hangUp.resume()
        sources.append(hangUp)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable in
                begin(server: server, timeout: timeout, logs: logs, signal: number)
            }
            source.resume()
            sources.append(source)
        }
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
