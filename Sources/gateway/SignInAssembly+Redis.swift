// Each loop's Redis client for the configured store: one node, or a cluster.
import GatewayConfig
import GatewayCore
import GatewaySessions
import Logging

extension SignInAssembly {
    /// What /readyz names; nil for the memory store.
    static func redisName(_ store: SessionStoreConfig) -> String? {
        switch store {
        case .memory: return nil
        case .redis(let host, let port, _, _): return "\(host):\(port)"
        case .redisCluster(let nodes, _):
            return "cluster " + nodes.map { "\($0.host):\($0.port)" }.joined(separator: ",")
        }
    }

    /// On the loop's own socket events, like every other socket of the loop.
    static func redisClient(_ store: SessionStoreConfig, loop: EventLoop, log: Logger) -> any RedisClient {
        let socketIO: SocketIOFactory = { [unowned loop] fd, onReadable, onWritable in
            loop.makeSocketIO(fd: fd, onReadable: onReadable, onWritable: onWritable)
        }
        switch store {
        case .redis(let host, let port, let database, let password):
            return RedisConnection(
                queue: loop.queue, host: host, port: port, database: database, password: password, logger: log,
                socketIO: socketIO)
        case .redisCluster(let nodes, let password):
            return RedisClusterClient(
                queue: loop.queue, seeds: nodes.map { ClusterNodeAddress(host: $0.host, port: $0.port) },
                password: password, logger: log, socketIO: socketIO)
        case .memory:
            preconditionFailure("no Redis client for the memory store")
        }
    }
}
