// One configuration's serving state: upstreams, routes, health monitor, sign-in and per-loop contexts.
import GatewayConfig
import GatewayCore
import GatewayMetrics
import GatewayTLS
import Logging

/// Thread-safety: built, started and stopped on the control path (start, reload and shutdown
/// run one at a time); each of its contexts then lives on its own loop.
final class ServerGeneration: @unchecked Sendable {
    let config: GatewayConfiguration
    let shared: ProxyShared
    let contexts: [LoopContext]
    /// Each TLS listener's certificates and policy, by address.
    let listenerTLS: [ListenerPlan.Key: TLSServerContext]
    private let services: ServerServices?

    /// Everything that can fail happens here, before the generation serves anything: a failed
    /// build leaves the running one alone (what was built is released with it).
    init(
        config: GatewayConfiguration, loops: [EventLoop], state: ServerWideState, errorLog: Logger,
        accessLogs: [AccessLog]?, metrics: [LoopMetrics]?, previous: ServerGeneration?,
        services makeServices: GatewayServer.MakeServices
    ) throws {
        var targets: [UpstreamTarget] = []
        for upstream in config.upstreams {
            do {
                targets.append(try UpstreamTarget(upstream))
            } catch {
                throw GatewayServer.StartupError(
                    description: "\(upstream.location): upstream \"\(upstream.name)\": \(error)")
            }
        }
        var listenerTLS: [ListenerPlan.Key: TLSServerContext] = [:]
        for listen in config.listeners {
            guard let tls = listen.tls else { continue }
            let key = ListenerPlan.Key(listen)
            listenerTLS[key] = try GatewayServer.tlsContext(tls, previous: previous?.listenerTLS[key])
        }
        self.listenerTLS = listenerTLS
        let services = try makeServices(loops, metrics)
        let health = HealthMonitor(
            upstreams: targets, interval: config.healthCheckInterval, extraChecks: services?.readiness ?? [])
        let shared = ProxyShared(
            config: config, upstreams: targets, errorLog: errorLog, health: health, server: state)
        self.config = config
        self.shared = shared
        self.services = services
        let labels = metrics?.first.map { MetricLabels(config: config, metrics: $0.shared) }
        contexts = loops.indices.map { i in
            LoopContext(
                loop: loops[i], shared: shared, accessLog: accessLogs?[i], metrics: metrics?[i], labels: labels,
                listenerTLS: listenerTLS)
        }
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
