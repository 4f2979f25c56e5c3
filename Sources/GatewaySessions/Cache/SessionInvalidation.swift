// One subscriber per gateway process: every session id published on the store's channel is
// evicted from the session cache of every loop.
import Dispatch
import GatewayCore
import Logging

/// Listens on `RedisStore.invalidationChannel` over a connection of its own (a subscribed
/// connection takes no other commands) and tells each loop's `CachedSessionStore`, on that
/// loop: `invalidate` per message, `channelUp` when the subscription is confirmed or lost.
/// On a cluster it listens on one node at a time (`ClusterSubscriber`).
///
/// Thread-safety: `@unchecked Sendable`; the connection lives on `queue`, and each cache is
/// only touched on its own loop.
public final class SessionInvalidation: @unchecked Sendable {
    private let startListening: () -> Void
    private let stopListening: () -> Void

    public convenience init(
        host: String, port: Int, database: Int, password: String?, channel: [UInt8],
        caches: [(EventLoop, CachedSessionStore)], logger: Logger?
    ) {
        let connection = RedisConnection(
            queue: Self.makeQueue(), host: host, port: port, database: database, password: password, logger: logger)
        self.init(connection: connection, channel: channel, caches: caches)
    }

    /// Over `connection` (not started yet; say one that follows a Sentinel primary, on a queue
    /// of its own from `makeQueue()`), which this takes over.
    public init(connection: RedisConnection, channel: [UInt8], caches: [(EventLoop, CachedSessionStore)]) {
        connection.subscribe(to: channel, onMessage: Self.evict(caches))
        connection.onConnectionChange = Self.channelUp(caches)
        (startListening, stopListening) = (connection.start, connection.close)
    }

    public init(
        cluster seeds: [RedisAddress], password: String?, channel: [UInt8],
        caches: [(EventLoop, CachedSessionStore)], logger: Logger?
    ) {
        let subscriber = ClusterSubscriber(
            queue: Self.makeQueue(), seeds: seeds, password: password,
            channel: channel, logger: logger, onMessage: Self.evict(caches))
        subscriber.onConnectionChange = Self.channelUp(caches)
        (startListening, stopListening) = (subscriber.start, subscriber.close)
    }

    private static func evict(_ caches: [(EventLoop, CachedSessionStore)]) -> ([UInt8]) -> Void {
        { payload in
            guard let id = SessionID(String(decoding: payload, as: UTF8.self)) else { return }
            for (loop, cache) in caches { loop.execute { cache.invalidate(id) } }
        }
    }

    private static func channelUp(_ caches: [(EventLoop, CachedSessionStore)]) -> (Bool) -> Void {
        { up in
            for (loop, cache) in caches { loop.execute { cache.channelUp(up) } }
        }
    }

    public static func makeQueue() -> DispatchQueue { DispatchQueue(label: "gateway.session-invalidation") }

    public func start() { startListening() }

    public func close() { stopListening() }
}
