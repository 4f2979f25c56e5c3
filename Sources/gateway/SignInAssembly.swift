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

/// Thread-safety: built on the control path (start-up or a reload) before its loops use it;
/// `start()` and each loop's release hop onto that loop's queue.
final class SignInAssembly: @unchecked Sendable {
    /// One loop's providers and the HTTP clients they call out through.
    struct LoopProviders {
        var providers: [SignInProvider] = []
        var clients: [CurlHTTPClient] = []
    }

    private(set) var contexts: [SignInContext] = []
    var starters: [(EventLoop, () -> Void)] = []
    var releases: [() -> Void] = []
    /// One flag per loop's Redis connection, read by /readyz from its own queue.
    let redisUp: [AtomicFlag]
    let redisName: String?
    /// What a reload with the same settings reuses: the store (the memory store keeps its
    /// sessions, Redis keeps one connection per loop), and the providers with their clients
    /// (so a reload does not send every provider back through discovery).
    private let store: SessionStoreConfig
    private let storeTimeout: Duration
    private let providerSettings: [ProviderConfig]
    private let memory: MemoryStore?
    private let redis: [SharedResource<any RedisClient>]
    let redisEndpoint: RedisEndpoint?
    private let outbound: [SharedResource<LoopProviders>]

    /// Whether this config signs anybody in at all.
    static func isNeeded(_ config: GatewayConfiguration) -> Bool {
        config.locations.contains { $0.auth == .required } || !config.providers.isEmpty
    }

    /// `previous`: the running generation's assembly on a reload; what did not change is reused.
    /// `metrics`: each loop's recorder (with `metrics_listen`); stores, IdP calls and sign-ins
    /// are counted through it.
    init(
        config: GatewayConfiguration, loops: [EventLoop], metrics: [LoopMetrics]?, log: Logger,
        previous: SignInAssembly? = nil
    ) throws {
        let store = config.session.store
        let providerSettings = config.providers.map(Self.withoutLocation)
        let storeTimeout = config.session.storeTimeout
        (self.store, self.storeTimeout, self.providerSettings) = (store, storeTimeout, providerSettings)
        let sameStore = previous.flatMap {
            $0.store == store && $0.storeTimeout == storeTimeout && $0.contexts.count == loops.count ? $0 : nil
        }
        let sameProviders = previous.flatMap {
            $0.providerSettings == providerSettings && $0.contexts.count == loops.count ? $0 : nil
        }
        var memory: MemoryStore?
        if case .memory = store {
            memory = sameStore?.memory ?? MemoryStore()
        }
        self.memory = memory
        if let memory, previous == nil, let metrics = metrics?.first?.shared {
            metrics.gauge(MetricCatalog.sessionsActive) { Double(memory.sessionCount) }
        }
        let endpoint = sameStore?.redisEndpoint ?? Self.redisEndpoint(store, timeout: storeTimeout, log: log)
        redisEndpoint = endpoint
        if let endpoint {
            redisName = endpoint.name
            if let sameStore {
                (redisUp, redis) = (sameStore.redisUp, sameStore.redis)
            } else {
                let redisUp = loops.map { _ in AtomicFlag() }
                self.redisUp = redisUp
                redis = loops.enumerated().map { index, loop in
                    let connection = endpoint.client(loop)
                    connection.onConnectionChange = { up in redisUp[index].set(up) }
                    return SharedResource(connection) { $0.close() }
                }
            }
        } else {
            (redisName, redisUp, redis) = (nil, [], [])
        }
        outbound =
            try sameProviders?.outbound
            ?? loops.indices.map { index in
                SharedResource(
                    try Self.makeProviders(config.providers, loop: loops[index], metrics: metrics?[index], log: log)
                ) { held in
                    for client in held.clients { client.close() }
                }
            }
        let assertionKey = try Self.assertionKey(config)
        let refetchLimits = Self.refetchLimits(config)
        var caches: [(EventLoop, CachedSessionStore)] = []
        var channel: [UInt8] = []
        for (index, loop) in loops.enumerated() {
            let connection = redis.isEmpty ? nil : redis[index]
            let providers = outbound[index]
            var sessions: SessionStore
            var identities: IdentityStore
            let tokenStore: ProviderTokenStore
            if let connection {
                let store = RedisStore(connection: connection.value)
                (sessions, identities, tokenStore) = (store, store, store)
            } else {
                (sessions, identities, tokenStore) = (memory!, memory!, memory!)
            }
            let loopMetrics = metrics?[index]
            if let loopMetrics {
                let metered = MeteredStore(sessions: sessions, identities: identities, metrics: loopMetrics)
                (sessions, identities) = (metered, metered)
            }
            // The cache sits outside the metered store: the store's metrics count Redis calls.
            if let store = tokenStore as? RedisStore, let ttl = config.session.cacheTTL {
                let cached = CachedSessionStore(sessions, ttl: ttl, idleTimeout: config.session.idleTimeout)
                (sessions, channel) = (cached, store.invalidationChannel)
                caches.append((loop, cached))
            }
            let context = SignInContext(
                config: config, providers: providers.value.providers, sessions: sessions, identities: identities,
                log: log, tokenStore: tokenStore)
            context.schedule = { [unowned loop] milliseconds, work in
                nonisolated(unsafe) let work = work
                loop.schedule(after: .milliseconds(milliseconds)) { work() }
            }
            if let loopMetrics {
                context.onSignIn = { provider, outcome in
                    loopMetrics.increment(
                        loopMetrics.counter(MetricCatalog.signIns, [("provider", provider), ("outcome", outcome)]))
                }
            }
            let startIdentity = Self.attachIdentity(
                to: context, config: config, key: assertionKey, http: providers.value.clients[0], loop: loop, log: log,
                limits: refetchLimits)
            contexts.append(context)
            // Reused connections and providers are running already.
            let startsRedis = sameStore == nil
            let startsProviders = sameProviders == nil
            starters.append(
                (
                    loop,
                    {
                        if startsRedis { connection?.value.start() }
                        if startsProviders { for p in providers.value.providers { ProviderCatalog.start(p) } }
                        startIdentity()
                    }
                ))
            let failover = endpoint?.failover
            releases.append {
                providers.release()
                connection?.release()
                failover?.release()
            }
        }
        if sameStore == nil, let failover = endpoint?.failover {
            starters.append((loops[0], { failover.value.start() }))
        }
        if !caches.isEmpty { listen(caches: caches, channel: channel) }
        // Counted only once nothing can throw: a failed build has no releases to balance it.
        for shared in redis { shared.retain() }
        for _ in loops { endpoint?.failover?.retain() }
        for shared in outbound { shared.retain() }
    }

    private static func makeProviders(
        _ configs: [ProviderConfig], loop: EventLoop, metrics: LoopMetrics?, log: Logger
    ) throws -> LoopProviders {
        let http = CurlHTTPClient(loop: loop)
        var made = LoopProviders(clients: [http])
        for provider in configs {
            // A provider with its own CA (ca_file) gets its own client; the rest share the loop's.
            let client = provider.caFile.map { CurlHTTPClient(loop: loop, caFile: $0) } ?? http
            if client !== http { made.clients.append(client) }
            let outbound: OutboundHTTP = metrics.map { MeteredHTTP(client, provider: provider.name, metrics: $0) } ?? client
            do {
                made.providers.append(try ProviderCatalog.make(provider, http: outbound, queue: loop.queue, logger: log))
            } catch {
                throw GatewayServer.StartupError(
                    description: "\(provider.location): provider \"\(provider.name)\": \(error)")
            }
        }
        return made
    }

    /// Provider settings as compared across a reload: where the block sits in the file does not matter.
    private static func withoutLocation(_ provider: ProviderConfig) -> ProviderConfig {
        var provider = provider
        provider.location = SourceLocation(file: "", line: 0, column: 0)
        return provider
    }

    /// What the server plugs into its loops: each loop's sign-in as endpoint and gate, and
    /// what to let go of once a reload retired them.
    var services: ServerServices {
        var readiness: [(name: String, problem: @Sendable () -> String?)] = []
        if redisName != nil { readiness.append((name: "redis", problem: { self.redisProblem() })) }
        return ServerServices(
            loops: zip(contexts, releases).map { LoopServices(endpoint: $0, gate: $0, release: $1) },
            readiness: readiness, start: { self.start() })
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
