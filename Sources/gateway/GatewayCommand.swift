// `gateway`: argument parsing and wiring only (sign-in's wiring: SignInAssembly).
import Dispatch
import GatewayConfig
import GatewayCore
import GatewayProxy
import Glibc
import Logging

@main
enum GatewayCommand {
    static let abstract = "An authentication gateway: a reverse proxy that signs users in before the app sees them."

    static func main() {
        switch CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst())) {
        case .failure(let problem):
            FileOutput.standardError(
                "Error: \(problem)\nUsage: \(CommandLineOptions.usage)\n  See 'gateway --help' for more information.\n")
            exit(64)
        case .success(let options):
            switch options.action {
            case .help: print(CommandLineOptions.help(abstract: abstract), terminator: "")
            case .version: print(GatewayVersion.current)
            default: exit(run(options))
            }
        }
    }

    /// Checks, reloads or runs (never returning from a run); the exit status otherwise.
    static func run(_ options: CommandLineOptions) -> Int32 {
        let configPath = options.configPath
        let check = options.action == .check
        var reloadPID: Int32?
        if case .reload(let pid) = options.action { reloadPID = pid }
        let reload = reloadPID != nil
        let config: GatewayConfiguration
        do {
            config = try ConfigLoader.load(path: configPath)
        } catch {
            for diagnostic in error.diagnostics {
                FileOutput.standardError("\(diagnostic)\n")
            }
            return 1
        }
        for warning in config.warnings {
            FileOutput.standardError("\(warning.location): warning: \(warning.message)\n")
        }
        // --check and --reload parse and match certificates and keys, so they say what start-up (or
        // the reload) would; a plain start loads them once, in the server, and fails there.
        var tlsProblems = 0
        for tls in config.listeners.compactMap(\.tls) where check || reload {
            do {
                _ = try GatewayServer.tlsContext(tls)
            } catch {
                FileOutput.standardError("\(error)\n")
                tlsProblems += 1
            }
        }
        if tlsProblems > 0 { return 1 }
        if check {
            print("\(configPath): the configuration is valid")
            return 0
        }
        if let reloadPID { return sendReload(to: reloadPID) }
        let logs: Logs
        do {
            logs = try Logs(config: config)
        } catch {
            FileOutput.standardError("gateway: \(error)\n")
            return 1
        }
        signal(SIGPIPE, SIG_IGN)
        checkFileLimit(config: config, log: logs.error)
        let server: GatewayServer
        var assembly: SignInAssembly?
        do {
            server = try GatewayServer(
                config: config, errorLog: logs.error, accessLog: logs.accessSink, version: GatewayVersion.current
            ) { loops, metrics in
                guard SignInAssembly.isNeeded(config) else { return nil }
                assembly = try SignInAssembly(config: config, loops: loops, metrics: metrics, log: logs.error)
                return assembly?.services
            }
            server.metrics?.bootstrapSwiftMetrics()
            try server.start()
        } catch {
            logs.error.critical("cannot start", metadata: ["error": .string("\(error)")])
            logs.flush()
            FileOutput.standardError("gateway: \(error)\n")
            return 1
        }
        let reloader = ConfigReloader(path: configPath, server: server, logs: logs, assembly: assembly)
        if let metrics = server.metrics { reloader.onResult = { metrics.configReloaded(success: $0 == .success) } }
        ShutdownSignals.install(server: server, timeout: config.shutdownTimeout, logs: logs, reloader: reloader)
        dispatchMain()
    }
}

/// `--reload`: the file was checked; the running gateway re-reads its own `-c` file on SIGHUP.
private func sendReload(to pid: Int32) -> Int32 {
    guard kill(pid, SIGHUP) == 0 else {
        FileOutput.standardError("gateway: cannot signal process \(pid): \(String(cString: strerror(errno)))\n")
        return 1
    }
    print("the configuration is valid; sent SIGHUP to process \(pid)")
    return 0
}

/// Raises the open-file limit and warns when `max_connections` could still exhaust it: accepts
/// would then fail with EMFILE under load instead of max_connections refusing cleanly.
private func checkFileLimit(config: GatewayConfiguration, log: Logger) {
    let limit = FileDescriptorLimit.raiseToHard()
    let needed = FileDescriptorLimit.needed(maxConnections: config.maxConnections)
    guard limit.soft < needed else { return }
    log.warning(
        "max_connections needs more file descriptors than RLIMIT_NOFILE allows",
        metadata: [
            "max_connections": .string(String(config.maxConnections)), "needed": .string(String(needed)),
            "soft_limit": .string(String(limit.soft)), "hard_limit": .string(String(limit.hard)),
        ])
}

enum GatewayVersion {
    static let current = "0.1.0"
}

enum FileOutput {
    static func standardError(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
