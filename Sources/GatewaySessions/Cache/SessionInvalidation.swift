// One subscriber per gateway process: every session id published on the store's channel is
// evicted from the session cache of every loop.
import Dispatch
import GatewayCore
import Logging

/// Listens on `RedisStore.invalidationChannel` over a connection of its own (a subscribed
/// connection takes no other commands) and tells each loop's `CachedSessionStore`, on that
/// loop: `invalidate` per message, `channelUp` when the subscription is confirmed or lost.
///
/// Thread-safety: `@unchecked Sendable`; the connection lives on `queue`, and each cache is
/// only touched on its own loop.
public final class SessionInvalidation: @unchecked Sendable {
    private let connection: RedisConnection
    private let caches: [(EventLoop, CachedSessionStore)]

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
        self.caches = caches
        self.connection = connection
        connection.subscribe(to: channel) { [caches] payload in
            guard let id = SessionID(String(decoding: payload, as: UTF8.self)) else { return }
            for (loop, cache) in caches { loop.execute { cache.invalidate(id) } }
        }
        connection.onConnectionChange = { [caches] up in
            for (loop, cache) in caches { loop.execute { cache.channelUp(up) } }
        }
    }

    public static func makeQueue() -> DispatchQueue { DispatchQueue(label: "gateway.session-invalidation") }

    public func start() { connection.start() }

    public func close() { connection.close() }
}
