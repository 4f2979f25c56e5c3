// What `RedisStore` needs from Redis: one node (`RedisConnection`) or a cluster
// (`RedisClusterClient`) behind the same pipelined, loop-bound command interface.
import Dispatch

/// Thread-safety: as `RedisConnection`: `start()`/`close()` from anywhere, the rest on `queue`.
public protocol RedisClient: AnyObject, Sendable {
    var queue: DispatchQueue { get }
    /// True while commands can be sent (the node answers; for a cluster: the slot map is
    /// complete and a primary answers, see `RedisClusterClient.updateState`).
    var isConnected: Bool { get }
    /// Called on `queue` when `isConnected` changes.
    var onConnectionChange: ((Bool) -> Void)? { get set }
    /// True for Redis Cluster: every script's keys must share one slot.
    var isCluster: Bool { get }
    func start()
    func close()
    /// One command; `completion` runs on `queue` exactly once. A cluster routes it by its key
    /// (`RedisCommandKey`).
    func send(_ args: [[UInt8]], completion: @escaping (Result<RedisValue, RedisError>) -> Void)
    /// `send`, for a reply expected to repeat: a bulk string equal to `known` comes back as
    /// `known` itself, compared where hiredis parsed it, so its bytes are not copied again.
    /// A cluster does not do this (the default sends as `send` does).
    func send(
        _ args: [[UInt8]], reusing known: [UInt8]?, completion: @escaping (Result<RedisValue, RedisError>) -> Void)
}

extension RedisClient {
    public func send(
        _ args: [[UInt8]], reusing known: [UInt8]?, completion: @escaping (Result<RedisValue, RedisError>) -> Void
    ) {
        send(args, completion: completion)
    }

    /// `send` with UTF-8 text arguments.
    public func send(_ args: [String], completion: @escaping (Result<RedisValue, RedisError>) -> Void) {
        send(args.map { Array($0.utf8) }, completion: completion)
    }
}

extension RedisConnection: RedisClient {
    public var isCluster: Bool { false }
}
