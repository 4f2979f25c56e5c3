// Wires the gateway together: loops, listeners, the current configuration generation, shutdown.
import Dispatch
import GatewayConfig
import GatewayCore
import GatewayMetrics
import GatewayTLS
import Logging

/// Thread-safety: `start`, `reload` and `shutdown` run one at a time (the executable calls them
/// from one queue); afterwards each listener and connection lives on its own loop, and reload
/// and shutdown hop onto each loop's queue.
public final class GatewayServer: @unchecked Sendable {
    let group: EventLoopGroup
    /// Server-wide: survives reloads (max_connections counting, draining).
    let state = ServerWideState()
    var generation: ServerGeneration
    /// Each loop's current context, read by that loop's accepts.
    let slots: [LoopSlot]
    /// Open listeners, one socket per loop each (SO_REUSEPORT), in config order.
    var listeners: [OpenListener] = []
    let errorLog: Logger
    /// Each loop's access log (server-wide, kept across reloads); nil when `access_log off`.
    let accessLogs: [AccessLog]?
    /// The Prometheus registry and each loop's recorder (server-wide, kept across reloads);
    /// nil without `metrics_listen`.
    public let metrics: GatewayMetrics?
    let loopMetrics: [LoopMetrics]?
    /// `metrics_listen` as the server started with it (a reload does not move it).
    private let metricsListener: ListenerConfig?
    /// Its socket, once started; stopped with the others at shutdown.
    private var metricsSocket: Listener?

    struct OpenListener {
        let key: ListenerPlan.Key
        let address: SocketAddress
        let sockets: [Listener]
    }

    /// What the executable plugs into each loop (sign-in), given the loops and their recorders.
    public typealias MakeServices = (_ loops: [EventLoop], _ metrics: [LoopMetrics]?) throws -> ServerServices?

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Resolves upstreams and prepares the loops. Blocking work happens here, never later.
    /// `services` builds what the executable plugs into each loop (sign-in), given the loops
    /// and, with `metrics_listen`, each loop's metrics recorder.
    public init(
        config: GatewayConfiguration, errorLog: Logger, accessLog: LogSink?, version: String = "dev",
        services makeServices: MakeServices = { _, _ in nil }
    ) throws {
        self.errorLog = errorLog
        let backend: EventBackend = config.eventBackend == .dispatch ? .dispatch : .epoll
        let group = EventLoopGroup(count: config.workers, backend: backend)
        self.group = group
        accessLogs = accessLog.map { sink in group.loops.map { AccessLog(sink: sink, loop: $0) } }
        let metrics = config.metricsListener.map { _ in
            GatewayMetrics(
                version: version, locations: LoopMetrics.locationLabels(config), upstreams: config.upstreams.map(\.name))
        }
        let loopMetrics = metrics.map { metrics in group.loops.map { _ in LoopMetrics(shared: metrics) } }
        (self.metrics, self.loopMetrics, metricsListener) = (metrics, loopMetrics, config.metricsListener)
        let generation = try ServerGeneration(
            config: config, loops: group.loops, state: state, errorLog: errorLog, accessLogs: accessLogs,
            metrics: loopMetrics, previous: nil, services: makeServices)
        self.generation = generation
        slots = generation.contexts.map(LoopSlot.init)
        if let metrics, let loopMetrics {
            let state = self.state
            metrics.gauge(MetricCatalog.connectionsOpen) { Double(state.activeConnections.load()) }
            for (loop, recorder) in zip(group.loops, loopMetrics) { recorder.watchPool(on: loop) }
        }
    }

    /// The configuration new requests use.
    public var configuration: GatewayConfiguration { generation.config }

    /// Binds every listener on every loop and starts serving. Returns the bound addresses
    /// (with the real port when the config said port 0).
    @discardableResult
    public func start() throws -> [SocketAddress] {
        for listen in generation.config.listeners {
            listeners.append(try bind(listen))
        }
        group.start()
        generation.start()
        if let metricsListener, let metrics { metricsSocket = try startMetricsListener(metricsListener, metrics: metrics) }
        for open in listeners {
            startAccepting(open)
            errorLog.notice(
                "listening",
                metadata: [
                    "address": .string(open.address.description), "workers": .string(String(group.loops.count)),
                    "event_backend": .string(group.loops[0].backend.rawValue),
                ])
        }
        return listeners.map(\.address)
    }

    /// One socket per loop on `listen`'s address; on failure, the ones already made are closed.
    func bind(_ listen: ListenerConfig) throws -> OpenListener {
        var address = try SocketAddress.resolve(host: listen.host, port: listen.port)
        var sockets: [Listener] = []
        do {
            for loop in group.loops {
                let fd = try Socket.listen(on: address, reusePort: true)
                if listen.port == 0 && sockets.isEmpty {
                    // Port 0: the first socket picks a port; the other loops join it.
                    address = try Socket.localAddress(of: fd)
                }
                sockets.append(Listener(loop: loop, fd: fd, address: address))
            }
        } catch {
            for listener in sockets { Socket.close(listener.fd) }
            throw error
        }
        return OpenListener(key: ListenerPlan.Key(listen), address: address, sockets: sockets)
    }

    /// Each socket accepts on its loop into whatever generation that loop's slot holds then.
    func startAccepting(_ open: OpenListener) {
        let log = errorLog
        for (listener, slot) in zip(open.sockets, slots) {
            listener.loop.execute {
                listener.start(
                    onAccept: { fd, peer in Self.accept(fd: fd, peer: peer, context: slot.context, listener: open.key) },
                    onError: { error, failures in
                        log.error(
                            "accept failed",
                            metadata: ["error": .string(error.description), "failures": .string(String(failures))])
                    })
            }
        }
    }

    /// A listener's certificates, keys and TLS policy (`previous`: the one a reload replaces,
    /// whose ticket keys it keeps); a file that does not load stops start-up or the reload.
    public static func tlsContext(_ config: ListenerTLSConfig, previous: TLSServerContext? = nil) throws -> TLSServerContext {
        do {
            return try previous?.reloading(config) ?? TLSServerContext(config)
        } catch {
            throw StartupError(description: "\(config.location): \(error)")
        }
    }

    private static func accept(fd: Int32, peer: SocketAddress, context: LoopContext, listener: ListenerPlan.Key) {
        let shared = context.shared
        if shared.isDraining || shared.activeConnections.load() >= UInt64(shared.maxConnections) {
            Socket.close(fd)
            context.metrics?.shared.connectionRejected(shared.isDraining ? .draining : .maxConnections)
            // A flood is refused by the thousand a second: one line a second says how many.
            if !shared.isDraining, let refused = shared.server.refusals.record(now: MonotonicClock.now()) {
                shared.errorLog.warning(
                    "max_connections reached; connection refused",
                    metadata: ["client": .string(peer.host), "refused": .string(String(refused))])
            }
            return
        }
        shared.activeConnections.increment()
        _ = ClientConnection(context: context, fd: fd, peer: peer, tls: context.listenerTLS[listener])
    }

    /// Hands every loop's batch of access-log lines to the sink; at exit, before the sinks flush.
    public func flushAccessLogs() {
        for (loop, log) in zip(group.loops, accessLogs ?? []) { loop.queue.sync { log.flush() } }
    }

    public var activeConnections: Int { Int(state.activeConnections.load()) }

    /// Stops accepting, lets in-flight exchanges finish within `timeout`, then calls `done`
    /// with the number of connections that were still open.
    public func shutdown(timeout: Duration, done: @escaping @Sendable (Int) -> Void) {
        state.startDraining()
        generation.stop()
        if let socket = metricsSocket { socket.loop.execute { socket.stop() } }
        for open in listeners {
            for listener in open.sockets { listener.loop.execute { listener.stop() } }
        }
        for (slot, loop) in zip(slots, group.loops) {
            loop.execute {
                for case let client as ClientConnection in loop.registered { client.drain() }
                slot.context.pool.closeAll()
            }
        }
        let deadline = MonotonicClock.now() &+ MonotonicClock.nanoseconds(timeout)
        let waitQueue = DispatchQueue(label: "gateway.shutdown")
        let state = self.state
        @Sendable func poll() {
            let open = Int(state.activeConnections.load())
            if open == 0 || MonotonicClock.now() >= deadline {
                done(open)
                return
            }
            waitQueue.asyncAfter(deadline: .now() + .milliseconds(20)) { poll() }
        }
        waitQueue.async { poll() }
    }
}
