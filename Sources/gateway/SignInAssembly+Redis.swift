// How a Redis store's clients are made: straight to one server, to the primary that Redis
// Sentinel names (and follows through failovers), or to a Redis Cluster.
import GatewayConfig
import GatewayCore
import GatewaySessions
import Logging

extension SignInAssembly {
    /// Reused with the clients on a reload that keeps `session { store }`.
    struct RedisEndpoint {
        /// For /readyz and its log line.
        let name: String
        /// The `+switch-master` listener with Sentinel: one per process, shared by generations.
        let failover: SharedResource<SentinelFailover>?
        /// A loop's client (not started), on the loop's own socket events.
        let client: (_ loop: EventLoop) -> any RedisClient
        /// The session caches' subscriber (not started), on a queue of its own.
        let invalidation: (_ channel: [UInt8], _ caches: [(EventLoop, CachedSessionStore)]) -> SessionInvalidation
    }

    /// `timeout`: each command's deadline (`store_timeout`); a command past it fails with 503
    /// and its connection is replaced.
    static func redisEndpoint(_ store: SessionStoreConfig, timeout: Duration, log: Logger) -> RedisEndpoint? {
        switch store {
        case .memory:
            return nil
        case .redis(let host, let port, let database, let password):
            return RedisEndpoint(
                name: "\(host):\(port)", failover: nil,
                client: { loop in
                    RedisConnection(
                        queue: loop.queue, host: host, port: port, database: database, password: password, logger: log,
                        commandTimeout: timeout, socketIO: socketIO(loop))
                },
                invalidation: { channel, caches in
                    SessionInvalidation(
                        host: host, port: port, database: database, password: password, channel: channel,
                        caches: caches, logger: log)
                })
        case .redisSentinel(let sentinel):
            let failover = SentinelFailover(
                sentinels: sentinel.sentinels.map { RedisAddress(host: $0.host, port: $0.port) },
                master: sentinel.master, password: sentinel.password, logger: log)
            return RedisEndpoint(
                name: "sentinel master \(sentinel.master)", failover: SharedResource(failover) { $0.close() },
                client: { loop in
                    failover.connection(
                        queue: loop.queue, database: sentinel.database, logger: log, commandTimeout: timeout,
                        socketIO: socketIO(loop))
                },
                invalidation: { channel, caches in
                    let connection = failover.connection(
                        queue: SessionInvalidation.makeQueue(), database: sentinel.database, logger: log, socketIO: nil)
                    return SessionInvalidation(connection: connection, channel: channel, caches: caches)
                })
        case .redisCluster(let nodes, let password):
            let seeds = nodes.map { RedisAddress(host: $0.host, port: $0.port) }
            return RedisEndpoint(
                name: "cluster " + nodes.map { "\($0.host):\($0.port)" }.joined(separator: ","), failover: nil,
                client: { loop in
                    RedisClusterClient(
                        queue: loop.queue, seeds: seeds, password: password, logger: log, commandTimeout: timeout,
                        socketIO: socketIO(loop))
                },
                invalidation: { channel, caches in
                    SessionInvalidation(
                        cluster: seeds, password: password, channel: channel, caches: caches, logger: log)
                })
        }
    }

    /// Like every other socket of the loop.
    private static func socketIO(_ loop: EventLoop) -> SocketIOFactory {
        { [unowned loop] fd, onReadable, onWritable in
            loop.makeSocketIO(fd: fd, onReadable: onReadable, onWritable: onWritable)
        }
    }
}
