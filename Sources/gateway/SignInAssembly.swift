// Builds each loop's sign-in machinery from the config: HTTP client, providers, stores.
import Dispatch
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayMetrics
import GatewayOutbound
import GatewayProxy
import GatewaySessions
import GatewaySignIn
import Logging

/// Thread-safety: built once before the loops start; `start()` hops onto each loop's queue.
final class SignInAssembly: @unchecked Sendable {
    private(set) var contexts: [SignInContext] = []
    private var starters: [(EventLoop, () -> Void)] = []
    /// One flag per loop's Redis connection, read by /readyz from its own queue.
    let redisUp: [AtomicFlag]
    let redisName: String?

    /// Whether this config signs anybody in at all.
    static func isNeeded(_ config: GatewayConfiguration) -> Bool {
        config.locations.contains { $0.auth == .required } || !config.providers.isEmpty
    }

    init(config: GatewayConfiguration, loops: [EventLoop], metrics: [LoopMetrics]?, log: Logger) throws {
        var memory: MemoryStore?
        if case .memory = config.session.store {
            memory = MemoryStore()
        }
        if case .redis(let host, let port, _, _) = config.session.store {
            redisName = "\(host):\(port)"
            redisUp = loops.map { _ in AtomicFlag() }
        } else {
            redisName = nil
            redisUp = []
        }
        if let memory, let metrics = metrics?.first?.shared {
            metrics.gauge(MetricCatalog.sessionsActive) { Double(memory.sessionCount) }
        }
        for (index, loop) in loops.enumerated() {
            let loopMetrics = metrics?[index]
            let http = CurlHTTPClient(loop: loop)
            var providers: [SignInProvider] = []
            for provider in config.providers {
                // A provider with its own CA (ca_file) gets its own client; the rest share the loop's.
                var client: OutboundHTTP = provider.caFile.map { CurlHTTPClient(loop: loop, caFile: $0) } ?? http
                if let loopMetrics { client = MeteredHTTP(client, provider: provider.name, metrics: loopMetrics) }
                do {
                    providers.append(try ProviderCatalog.make(provider, http: client, queue: loop.queue, logger: log))
                } catch {
                    throw GatewayServer.StartupError(
                        description: "\(provider.location): provider \"\(provider.name)\": \(error)")
                }
            }
            var sessions: SessionStore
            var identities: IdentityStore
            var redis: RedisConnection?
            switch config.session.store {
            case .memory:
                sessions = memory!
                identities = memory!
            case .redis(let host, let port, let database, let password):
                let connection = RedisConnection(
                    queue: loop.queue, host: host, port: port, database: database, password: password, logger: log,
                    socketIO: { [unowned loop] fd, onReadable, onWritable in
                        loop.makeSocketIO(fd: fd, onReadable: onReadable, onWritable: onWritable)
                    })
                let flag = index
                let redisUp = self.redisUp
                connection.onConnectionChange = { up in redisUp[flag].set(up) }
                let store = RedisStore(connection: connection)
                sessions = store
                identities = store
                redis = connection
            }
            if let loopMetrics {
                let metered = MeteredStore(sessions: sessions, identities: identities, metrics: loopMetrics)
                (sessions, identities) = (metered, metered)
            }
            let context = SignInContext(
                config: config, providers: providers, sessions: sessions, identities: identities, log: log)
            if let loopMetrics {
                context.onSignIn = { provider, outcome in
                    loopMetrics.increment(
                        loopMetrics.counter(MetricCatalog.signIns, [("provider", provider), ("outcome", outcome)]))
                }
            }
            contexts.append(context)
            starters.append(
                (
                    loop,
                    {
                        redis?.start()
                        for p in providers { ProviderCatalog.start(p) }
                    }
                ))
        }
    }

    /// What the server plugs into its loops: each loop's sign-in as endpoint and gate.
    var services: ServerServices {
        var readiness: [(name: String, problem: @Sendable () -> String?)] = []
        if redisName != nil { readiness.append((name: "redis", problem: { self.redisProblem() })) }
        return ServerServices(
            loops: contexts.map { LoopServices(endpoint: $0, gate: $0) }, readiness: readiness, start: { self.start() })
    }

    func start() {
        for (loop, starter) in starters {
            nonisolated(unsafe) let run = starter
            loop.execute { run() }
        }
    }

    /// nil when Redis (if used) is connected on every loop, else why not.
    func redisProblem() -> String? {
        guard let redisName else { return nil }
        let down = redisUp.filter { !$0.isSet }.count
        return down == 0 ? nil : "redis \(redisName): not connected (\(down) of \(redisUp.count) loops)"
    }
}
