// One Sentinel-managed primary for a gateway process: makes the connections that follow it, and
// listens for `+switch-master` on a sentinel to move them all at once on a failover.
import Dispatch
import GatewayCore
import Logging

/// Each connection from `connection(queue:...)` finds the primary through `SentinelQuery`
/// before every attempt (on its own loop), checks `ROLE`, drops itself on a `READONLY` reply,
/// and reconnects with backoff like any `RedisConnection` (this takes its `onFailure`). A
/// connection error alone would find a new primary too, but only once a sentinel has promoted
/// one, and a demoted primary may still answer reads: so one subscriber here, on a sentinel of
/// its own (the next one in the list after each loss), tells every connection the moment a
/// sentinel announces the switch.
///
/// Thread-safety: `@unchecked Sendable`; the subscriber and the follower list live on `queue`;
/// each follower is moved on its own queue.
public final class SentinelFailover: @unchecked Sendable {
    public static let switchChannel = Array("+switch-master".utf8)

    public let sentinels: [RedisAddress]
    public let master: String
    private let password: String?
    private let logger: Logger?
    private let queue = DispatchQueue(label: "gateway.sentinel")
    private let subscriber: RedisConnection
    /// Connections to move on a switch; a closed one is gone from here once it is freed.
    private var followers: [Follower] = []
    /// Which sentinel the subscriber tries next.
    private var nextSentinel = 0

    private struct Follower {
        weak var connection: RedisConnection?
    }

    /// `password` goes to the sentinels and to the data nodes alike.
    public init(sentinels: [RedisAddress], master: String, password: String?, logger: Logger?) {
        precondition(!sentinels.isEmpty, "Sentinel needs at least one sentinel")
        self.sentinels = sentinels
        self.master = master
        self.password = password
        self.logger = logger
        subscriber = RedisConnection(
            queue: queue, host: sentinels[0].host, port: sentinels[0].port, password: password, logger: logger)
        subscriber.locator = RedisLocator(master: master, primaryOnly: false) { [unowned self] done in
            done(.found(sentinels[nextSentinel % sentinels.count]))
        }
        // After each failure or loss the subscriber tries the next sentinel.
        subscriber.onFailure = { [unowned self] _ in nextSentinel += 1 }
        subscriber.subscribe(to: Self.switchChannel) { [unowned self] payload in switched(payload) }
    }

    /// A connection to the current primary, on `queue` (a loop's), for `database`. Start it
    /// as usual; it follows the primary until closed.
    public func connection(
        queue: DispatchQueue, database: Int, logger: Logger?,
        commandTimeout: Duration = RedisConnection.defaultCommandTimeout, socketIO: SocketIOFactory? = nil
    ) -> RedisConnection {
        let connection = RedisConnection(
            queue: queue, host: "unresolved", port: 0, database: database, password: password, logger: logger,
            commandTimeout: commandTimeout, socketIO: socketIO)
        // Each failed attempt (the address refused, or ROLE not master) starts the next round
        // of discovery one sentinel further on, so one stale sentinel cannot keep answering first.
        let first = Rotation()
        connection.onFailure = { _ in first.value += 1 }
        connection.locator = RedisLocator(master: master, primaryOnly: true) {
            [sentinels, master, password] done in
            let start = first.value % sentinels.count
            SentinelQuery(
                sentinels: Array(sentinels[start...] + sentinels[..<start]), master: master, password: password,
                queue: queue, socketIO: socketIO
            ).run(done)
        }
        self.queue.async { [self] in
            followers.removeAll { $0.connection == nil }
            followers.append(Follower(connection: connection))
        }
        return connection
    }

    /// Where a connection's next discovery starts; touched only on that connection's queue.
    private final class Rotation: @unchecked Sendable {
        var value = 0
    }

    /// Starts listening for switches (its own connection, on a sentinel).
    public func start() { subscriber.start() }

    /// Stops listening; the followers are closed by their owners.
    public func close() { subscriber.close() }

    private func switched(_ payload: [UInt8]) {
        guard let event = SentinelReply.switchMaster(payload), event.master == master else { return }
        logger?.warning(
            "sentinel switched the primary",
            metadata: [
                "sentinel_master": .string(master), "from": .string(event.from.description),
                "to": .string(event.to.description),
            ])
        let reason = "sentinel switched the primary to \(event.to)"
        for follower in followers {
            guard let connection = follower.connection else { continue }
            connection.queue.async { connection.primaryMoved(to: event.to, reason: reason) }
        }
    }
}
