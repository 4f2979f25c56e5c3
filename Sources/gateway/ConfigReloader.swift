// SIGHUP: re-read gateway.conf; a valid one replaces the running configuration, an invalid one is
// logged (as `file:line:col: message`, like --check) and the old one keeps serving.
import Dispatch
import GatewayConfig
import GatewayCore
import GatewayProxy
import Logging

enum ReloadResult: String, Sendable {
    case success
    case failure
}

/// Thread-safety: `reload()` runs only on ShutdownSignals' queue, so reloads (and shutdown)
/// happen one at a time and `assembly` needs no lock.
final class ConfigReloader: @unchecked Sendable {
    private let path: String
    private let server: GatewayServer
    private let logs: Logs
    /// The running generation's sign-in, whose store a reload reuses when it is unchanged.
    private var assembly: SignInAssembly?
    /// The one place every reload's result goes (`gateway_config_reloads_total{result}` counts here).
    var onResult: @Sendable (ReloadResult) -> Void = { _ in }

    init(path: String, server: GatewayServer, logs: Logs, assembly: SignInAssembly?) {
        self.path = path
        self.server = server
        self.logs = logs
        self.assembly = assembly
    }

    func reload() {
        logs.error.notice("reloading the configuration", metadata: ["file": .string(path)])
        let config: GatewayConfiguration
        do {
            config = try ConfigLoader.load(path: path)
        } catch {
            for diagnostic in error.diagnostics { logs.error.error("\(diagnostic)") }
            return report(.failure, "the configuration is invalid (\(error.diagnostics.count) problems)")
        }
        for warning in config.warnings { logs.error.warning("\(warning.location): warning: \(warning.message)") }
        warnAboutRestartOnly(config)
        do {
            var built: SignInAssembly?
            let previous = assembly
            let outcome = try server.reload(config: config) { loops, metrics in
                guard SignInAssembly.isNeeded(config) else { return nil }
                let assembly = try SignInAssembly(
                    config: config, loops: loops, metrics: metrics, log: logs.error, previous: previous)
                built = assembly
                return assembly.services
            }
            assembly = built
            for address in outcome.opened {
                logs.error.notice("listening", metadata: ["address": .string(address.description)])
            }
            for address in outcome.closed {
                logs.error.notice("stopped listening", metadata: ["address": .string(address)])
            }
            report(.success, nil)
            returnFreedMemoryAfterTheDrain()
        } catch {
            logs.error.error("\(error)")
            report(.failure, "a step of the reload failed")
        }
    }

    /// The old generation's requests in flight finish and its pooled connections close within
    /// moments; what they used stays in malloc's arenas unless trimmed (`deploy/soak`: reloads
    /// under load grew RSS by ~200 KiB each, about half of it freed memory malloc kept).
    private func returnFreedMemoryAfterTheDrain() {
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + Self.drainAllowance) {
            FreedMemory.returnToSystem()
        }
    }

    /// How long after a reload the old generation is taken to have drained, for the trim.
    static let drainAllowance: DispatchTimeInterval = .seconds(3)

    /// Logs the outcome and hands it to `onResult`: the single place a reload ends.
    private func report(_ result: ReloadResult, _ reason: String?) {
        switch result {
        case .success: logs.error.notice("configuration reloaded", metadata: ["file": .string(path)])
        case .failure:
            logs.error.error(
                "configuration reload failed; the old configuration keeps serving",
                metadata: ["file": .string(path), "reason": .string(reason ?? "-")])
        }
        onResult(result)
    }

    /// The loops and the log files are made once at start-up; changing them needs a restart.
    private func warnAboutRestartOnly(_ config: GatewayConfiguration) {
        let old = server.configuration
        var ignored: [String] = []
        if config.workers != old.workers { ignored.append("workers") }
        if config.eventBackend != old.eventBackend { ignored.append("event_backend") }
        if config.errorLog != old.errorLog || config.errorLogLevel != old.errorLogLevel { ignored.append("error_log") }
        if config.accessLog != old.accessLog { ignored.append("access_log") }
        if config.metricsListener != old.metricsListener { ignored.append("metrics_listen") }
        guard !ignored.isEmpty else { return }
        logs.error.warning(
            "changed settings that take effect only on restart",
            metadata: ["directives": .string(ignored.joined(separator: ", "))])
    }
}
