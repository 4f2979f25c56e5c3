// The session cache's invalidation on a cluster: SUBSCRIBE on one node at a time. A PUBLISH on
// any node of a Redis Cluster reaches the subscribers of every node (the cluster bus carries
// it), so one node is enough, and when it goes away the next seed takes over.
import Dispatch
import Logging

/// Holds one subscribed `RedisConnection` to `seeds[current]`. When that connection is lost,
/// or has not come up within `patience`, it is closed and the next seed is tried: a dead
/// primary (killed in a failover) never leaves the caches without their channel for long.
///
/// Thread-safety: `@unchecked Sendable`; state touched only on `queue`; `start()`/`close()`
/// hop onto it.
public final class ClusterSubscriber: @unchecked Sendable {
    static let patience: Duration = .seconds(2)

    public let queue: DispatchQueue
    private let seeds: [RedisAddress]
    private let password: String?
    private let logger: Logger?
    private let channel: [UInt8]
    private let onMessage: ([UInt8]) -> Void
    /// Called on `queue` when the subscription comes up or is lost.
    public var onConnectionChange: ((Bool) -> Void)?
    private var current = -1
    private var connection: RedisConnection?
    private var up = false
    private var closed = false
    private var generation = 0

    public init(
        queue: DispatchQueue, seeds: [RedisAddress], password: String?, channel: [UInt8], logger: Logger?,
        onMessage: @escaping ([UInt8]) -> Void
    ) {
        precondition(!seeds.isEmpty, "a cluster needs at least one seed node")
        self.queue = queue
        self.seeds = seeds
        self.password = password
        self.channel = channel
        self.logger = logger
        self.onMessage = onMessage
    }

    public func start() { queue.async { [self] in if connection == nil, !closed { next() } } }

    public func close() {
        queue.async { [self] in
            closed = true
            connection?.close()
            connection = nil
            announce(false)
        }
    }

    /// Which seed is listened to (for the tests).
    public var address: RedisAddress? { current >= 0 ? seeds[current] : nil }

    private func next() {
        connection?.close()
        current = (current + 1) % seeds.count
        generation += 1
        let mine = generation
        let seed = seeds[current]
        let made = RedisConnection(queue: queue, host: seed.host, port: seed.port, password: password, logger: logger)
        made.subscribe(to: channel, onMessage: onMessage)
        made.onConnectionChange = { [weak self] isUp in
            guard let self, generation == mine, !closed else { return }
            announce(isUp)
            if !isUp { next() }
        }
        connection = made
        made.start()
        queue.asyncAfter(deadline: .now() + .seconds(Int(Self.patience.components.seconds))) { [weak self] in
            guard let self, generation == mine, !closed, !up else { return }
            logger?.info("redis cluster: invalidation channel moves to the next node", metadata: ["redis": "\(seed)"])
            next()
        }
    }

    private func announce(_ isUp: Bool) {
        guard isUp != up else { return }
        up = isUp
        onConnectionChange?(isUp)
    }
}
