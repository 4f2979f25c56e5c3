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

    public init(
        host: String, port: Int, database: Int, password: String?, channel: [UInt8],
        caches: [(EventLoop, CachedSessionStore)], logger: Logger?
    ) {
        self.caches = caches
        connection = RedisConnection(
            queue: DispatchQueue(label: "gateway.session-invalidation"), host: host, port: port, database: database,
            password: password, logger: logger)
        connection.subscribe(to: channel) { [caches] payload in
            guard let id = SessionID(String(decoding: payload, as: UTF8.self)) else { return }
            for (loop, cache) in caches { loop.execute { cache.invalidate(id) } }
        }
        connection.onConnectionChange = { [caches] up in
            for (loop, cache) in caches { loop.execute { cache.channelUp(up) } }
        }
    }

    public func start() { connection.start() }

    public func close() { connection.close() }
}
