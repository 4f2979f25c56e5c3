// One configuration's serving state: upstreams, routes, health monitor, sign-in and per-loop contexts.
import GatewayConfig
import GatewayCore
import Logging

/// Thread-safety: built, started and stopped on the control path (start, reload and shutdown
/// run one at a time); each of its contexts then lives on its own loop.
final class ServerGeneration: @unchecked Sendable {
    let config: GatewayConfiguration
    let shared: ProxyShared
    let contexts: [LoopContext]
    private let services: ServerServices?

    /// Everything that can fail happens here, before the generation serves anything: a failed
    /// build leaves the running one alone (what was built is released with it).
    init(
        config: GatewayConfiguration, loops: [EventLoop], state: ServerWideState, errorLog: Logger,
        accessLog: AccessLog?,
        services makeServices: (_ loops: [EventLoop]) throws -> ServerServices?
    ) throws {
        var targets: [UpstreamTarget] = []
        for upstream in config.upstreams {
            // Until UpstreamConnection speaks TLS, an https server would get plaintext: refuse it.
            if let server = upstream.servers.first(where: \.isTLS) {
                throw GatewayServer.StartupError(
                    description: "\(upstream.location): upstream \"\(upstream.name)\": server https://\(server) "
                        + "is not available in this build yet (HTTPS upstreams are not wired to the proxy)")
            }
            do {
                targets.append(try UpstreamTarget(upstream))
            } catch {
                throw GatewayServer.StartupError(
                    description: "\(upstream.location): upstream \"\(upstream.name)\": \(error)")
            }
        }
        if let listen = config.listeners.first(where: { $0.tls != nil }) {
            throw GatewayServer.StartupError(
                description: "listen \(listen.host):\(listen.port): TLS termination is not available in this build; "
                    + "terminate TLS in front of the gateway")
        }
        let services = try makeServices(loops)
        let health = HealthMonitor(
            upstreams: targets, interval: config.healthCheckInterval, extraChecks: services?.readiness ?? [])
        let shared = ProxyShared(
            config: config, upstreams: targets, errorLog: errorLog, accessLog: accessLog, health: health, server: state)
        self.config = config
        self.shared = shared
        self.services = services
        contexts = loops.map { LoopContext(loop: $0, shared: shared) }
        for (context, loopServices) in zip(contexts, services?.loops ?? []) {
            context.endpoint = loopServices.endpoint
            context.gate = loopServices.gate
            context.onRelease = loopServices.release
        }
    }

    /// Starts sign-in's connections and the health probes (the loops are running).
    func start() {
        services?.start()
        shared.health.start()
    }

    /// Replaced or shutting down: the probes stop (the contexts drain on their loops).
    func stop() { shared.health.stop() }
}
