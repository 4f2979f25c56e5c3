// How a Redis store's connections are made: straight to one server, or to the primary that
// Redis Sentinel names (and follows through failovers).
import Dispatch
import GatewayConfig
import GatewayCore
import GatewaySessions
import Logging

extension SignInAssembly {
    /// Reused with the connections on a reload that keeps `session { store }`.
    struct RedisEndpoint {
        /// For /readyz and its log line.
        let name: String
        /// The `+switch-master` listener with Sentinel: one per process, shared by generations.
        let failover: SharedResource<SentinelFailover>?
        /// A new connection (not started) on `queue`, with the loop's socket events if given.
        let make: (_ queue: DispatchQueue, _ socketIO: SocketIOFactory?) -> RedisConnection
    }

    static func redisEndpoint(_ store: SessionStoreConfig, log: Logger) -> RedisEndpoint? {
        switch store {
        case .memory:
            return nil
        case .redis(let host, let port, let database, let password):
            return RedisEndpoint(name: "\(host):\(port)", failover: nil) { queue, socketIO in
                RedisConnection(
                    queue: queue, host: host, port: port, database: database, password: password, logger: log,
                    socketIO: socketIO)
            }
        case .redisSentinel(let sentinel):
            let failover = SentinelFailover(
                sentinels: sentinel.sentinels.map { RedisAddress(host: $0.host, port: $0.port) },
                master: sentinel.master, password: sentinel.password, logger: log)
            return RedisEndpoint(
                name: "sentinel master \(sentinel.master)", failover: SharedResource(failover) { $0.close() }
            ) { queue, socketIO in
                failover.connection(queue: queue, database: sentinel.database, logger: log, socketIO: socketIO)
            }
        }
    }
}
