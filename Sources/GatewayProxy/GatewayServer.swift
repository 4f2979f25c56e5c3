// Wires the gateway together: loops, listeners, upstream pools, health, and graceful shutdown.
import Dispatch
import GatewayConfig
import GatewayCore
import GatewayMetrics
import GatewayTLS
import Logging

/// Thread-safety: set up before `start()`; afterwards each listener and connection lives on its
/// own loop, and shutdown hops onto each loop's queue.
public final class GatewayServer: @unchecked Sendable {
    private let config: GatewayConfiguration
    private let group: EventLoopGroup
    private let shared: ProxyShared
    let contexts: [LoopContext]
    var listeners: [Listener] = []
    let errorLog: Logger
    private let services: ServerServices?
    /// The Prometheus registry and its per-loop recorders; nil without `metrics_listen`.
    public let metrics: GatewayMetrics?

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Resolves upstreams and prepares the loops. Blocking work happens here, never later.
    /// `services` builds what the executable plugs into each loop (sign-in), given the loops
    /// and, with `metrics_listen`, each loop's metrics recorder.
    public init(
        config: GatewayConfiguration, errorLog: Logger, accessLog: Logger?, version: String = "dev",
        services makeServices: (_ loops: [EventLoop], _ metrics: [LoopMetrics]?) throws -> ServerServices? = { _, _ in
            nil
        }
    ) throws {
        self.config = config
        self.errorLog = errorLog
        var targets: [UpstreamTarget] = []
        for upstream in config.upstreams {
            do {
                targets.append(try UpstreamTarget(upstream))
            } catch {
                throw StartupError(description: "\(upstream.location): upstream \"\(upstream.name)\": \(error)")
            }
        }
        let backend: EventBackend = config.eventBackend == .dispatch ? .dispatch : .epoll
        let group = EventLoopGroup(count: config.workers, backend: backend)
        let metrics = config.metricsListener.map { _ in
            GatewayMetrics(
                version: version, locations: LoopMetrics.locationLabels(config), upstreams: config.upstreams.map(\.name))
        }
        let loopMetrics = metrics.map { metrics in group.loops.map { _ in LoopMetrics(shared: metrics) } }
        self.metrics = metrics
        let services = try makeServices(group.loops, loopMetrics)
        let health = HealthMonitor(
            upstreams: targets, interval: config.healthCheckInterval, extraChecks: services?.readiness ?? [])
        let shared = ProxyShared(
            config: config, upstreams: targets, errorLog: errorLog, accessLog: accessLog.map(AccessLog.init),
            health: health)
        self.shared = shared
        self.group = group
        self.services = services
        contexts = group.loops.indices.map {
            LoopContext(loop: group.loops[$0], shared: shared, metrics: loopMetrics?[$0])
        }
        if let metrics {
            metrics.gauge(MetricCatalog.connectionsOpen) { Double(shared.activeConnections.load()) }
            for context in contexts { context.watchPool() }
        }
        for (context, loopServices) in zip(contexts, services?.loops ?? []) {
            context.endpoint = loopServices.endpoint
            context.gate = loopServices.gate
        }
    }

    /// Binds every listener on every loop and starts serving. Returns the bound addresses
    /// (with the real port when the config said port 0).
    @discardableResult
    public func start() throws -> [SocketAddress] {
        var bound: [SocketAddress] = []
        var listenerTLS: [TLSServerContext?] = []
        for listen in config.listeners {
            let tls = try listen.tls.map(Self.tlsContext)
            var address = try SocketAddress.resolve(host: listen.host, port: listen.port)
            for context in contexts {
                let fd = try Socket.listen(on: address, reusePort: true)
                if listen.port == 0 && context === contexts.first {
                    // Port 0: the first socket picks a port; the other loops join it.
                    address = try Socket.localAddress(of: fd)
                }
                listeners.append(Listener(loop: context.loop, fd: fd, address: address))
                listenerTLS.append(tls)
            }
            bound.append(address)
        }
        group.start()
        for context in contexts {
            guard let recorder = context.metrics else { continue }
            context.loop.execute { context.loop.register(recorder) }
        }
        services?.start()
        shared.health.start()
        for (i, listener) in listeners.enumerated() {
            let context = contexts[i % contexts.count]
            let tls = listenerTLS[i]
            let shared = self.shared
            let log = errorLog
            listener.loop.execute {
                listener.start(
                    onAccept: { fd, peer in Self.accept(fd: fd, peer: peer, context: context, shared: shared, tls: tls) },
                    onError: { error, failures in
                        log.error(
                            "accept failed",
                            metadata: ["error": .string(error.description), "failures": .string(String(failures))])
                    })
            }
        }
        // After the public ones, which the loop above starts: this one answers only /metrics.
        if let metrics, let listen = config.metricsListener {
            try startMetricsListener(listen, metrics: metrics)
        }
        for address in bound {
            errorLog.notice(
                "listening",
                metadata: [
                    "address": .string(address.description), "workers": .string(String(group.loops.count)),
                    "event_backend": .string(group.loops[0].backend.rawValue),
                ])
        }
        return bound
    }

    /// A listener's certificates, keys and TLS policy; a file that does not load stops start-up.
    public static func tlsContext(_ config: ListenerTLSConfig) throws -> TLSServerContext {
        do {
            return try TLSServerContext(config)
        } catch {
            throw StartupError(description: "\(config.location): \(error)")
        }
    }

    private static func accept(
        fd: Int32, peer: SocketAddress, context: LoopContext, shared: ProxyShared, tls: TLSServerContext?
    ) {
        if shared.isDraining || shared.activeConnections.load() >= UInt64(shared.maxConnections) {
            Socket.close(fd)
            context.metrics?.shared.connectionRejected(shared.isDraining ? .draining : .maxConnections)
            if !shared.isDraining {
                shared.errorLog.warning("max_connections reached; connection refused", metadata: ["client": .string(peer.host)])
            }
            return
        }
        shared.activeConnections.increment()
        _ = ClientConnection(context: context, fd: fd, peer: peer, tls: tls)
    }

    public var activeConnections: Int { Int(shared.activeConnections.load()) }

    /// Stops accepting, lets in-flight exchanges finish within `timeout`, then calls `done`
    /// with the number of connections that were still open.
    public func shutdown(timeout: Duration, done: @escaping @Sendable (Int) -> Void) {
        shared.startDraining()
        shared.health.stop()
        for listener in listeners {
            listener.loop.execute { listener.stop() }
        }
        for context in contexts {
            context.loop.execute {
                for case let client as ClientConnection in context.loop.registered { client.drain() }
                context.pool.closeAll()
            }
        }
        let deadline = MonotonicClock.now() &+ MonotonicClock.nanoseconds(timeout)
        let waitQueue = DispatchQueue(label: "gateway.shutdown")
        let shared = self.shared
        @Sendable func poll() {
            let open = Int(shared.activeConnections.load())
            if open == 0 || MonotonicClock.now() >= deadline {
                done(open)
                return
            }
            waitQueue.asyncAfter(deadline: .now() + .milliseconds(20)) { poll() }
        }
        waitQueue.async { poll() }
    }
}
