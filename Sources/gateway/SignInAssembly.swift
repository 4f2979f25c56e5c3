// Builds each loop's sign-in machinery from the config: HTTP client, providers, stores.
import Dispatch
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayOutbound
import GatewayProxy
import GatewaySessions
import GatewaySignIn
import Logging

/// Thread-safety: built on the control path (start-up or a reload) before its loops use it;
/// `start()` and each loop's release hop onto that loop's queue.
final class SignInAssembly: @unchecked Sendable {
    private(set) var contexts: [SignInContext] = []
    private var starters: [(EventLoop, () -> Void)] = []
    private var releases: [() -> Void] = []
    /// One flag per loop's Redis connection, read by /readyz from its own queue.
    let redisUp: [AtomicFlag]
    let redisName: String?
    /// The store as configured, and what was made of it: a reload with the same store reuses
    /// them (the memory store keeps its sessions, Redis keeps one connection per loop).
    private let store: SessionStoreConfig
    private let memory: MemoryStore?
    private let redis: [RedisConnection]
    /// How many assemblies (generations) use each loop's Redis connection: the last one released closes it.
    private let redisUsers: [AtomicCounter]

    /// Whether this config signs anybody in at all.
    static func isNeeded(_ config: GatewayConfiguration) -> Bool {
        config.locations.contains { $0.auth == .required } || !config.providers.isEmpty
    }

    /// `previous`: the running generation's assembly on a reload, whose store is reused when unchanged.
    init(config: GatewayConfiguration, loops: [EventLoop], log: Logger, previous: SignInAssembly? = nil) throws {
        store = config.session.store
        let reuse = previous.flatMap { $0.store == config.session.store ? $0 : nil }
        var memory: MemoryStore?
        if case .memory = config.session.store {
            memory = reuse?.memory ?? MemoryStore()
        }
        self.memory = memory
        var redis: [RedisConnection] = []
        var redisUsers: [AtomicCounter] = []
        if case .redis(let host, let port, let database, let password) = config.session.store {
            redisName = "\(host):\(port)"
            if let reuse, reuse.redis.count == loops.count {
                redisUp = reuse.redisUp
                redis = reuse.redis
                redisUsers = reuse.redisUsers
            } else {
                let redisUp = loops.map { _ in AtomicFlag() }
                self.redisUp = redisUp
                for (index, loop) in loops.enumerated() {
                    let connection = RedisConnection(
                        queue: loop.queue, host: host, port: port, database: database, password: password, logger: log,
                        socketIO: { [unowned loop] fd, onReadable, onWritable in
                            loop.makeSocketIO(fd: fd, onReadable: onReadable, onWritable: onWritable)
                        })
                    connection.onConnectionChange = { up in redisUp[index].set(up) }
                    redis.append(connection)
                    redisUsers.append(AtomicCounter())
                }
            }
        } else {
            redisName = nil
            redisUp = []
        }
        self.redis = redis
        self.redisUsers = redisUsers
        for (index, loop) in loops.enumerated() {
            let http = CurlHTTPClient(loop: loop)
            var clients = [http]
            var providers: [SignInProvider] = []
            for provider in config.providers {
                // A provider with its own CA (ca_file) gets its own client; the rest share the loop's.
                let client = provider.caFile.map { CurlHTTPClient(loop: loop, caFile: $0) } ?? http
                if client !== http { clients.append(client) }
                do {
                    providers.append(try ProviderCatalog.make(provider, http: client, queue: loop.queue, logger: log))
                } catch {
                    throw GatewayServer.StartupError(
                        description: "\(provider.location): provider \"\(provider.name)\": \(error)")
                }
            }
            let connection = redis.isEmpty ? nil : redis[index]
            let sessions: SessionStore
            let identities: IdentityStore
            if let connection {
                let store = RedisStore(connection: connection)
                (sessions, identities) = (store, store)
            } else {
                (sessions, identities) = (memory!, memory!)
            }
            contexts.append(
                SignInContext(
                    config: config, providers: providers, sessions: sessions, identities: identities, log: log))
            starters.append(
                (
                    loop,
                    {
                        connection?.start()
                        for p in providers { ProviderCatalog.start(p) }
                    }
                ))
            let users = redisUsers.isEmpty ? nil : redisUsers[index]
            releases.append {
                for client in clients { client.close() }
                if let users, users.decrement() == 1 { connection?.close() }
            }
        }
        // Counted only once nothing can throw: a failed build has no releases to balance it.
        for users in redisUsers { users.increment() }
    }

    /// What the server plugs into its loops: each loop's sign-in as endpoint and gate, and
    /// what to close once a reload retired them.
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
