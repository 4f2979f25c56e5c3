// A Redis Cluster client on hiredis 0.14 (which has none): one `RedisConnection` per primary
// on this loop, commands routed by their key's slot, MOVED and ASK followed.
import Dispatch
import GatewayCore
import Logging

/// Routes each command to the primary that serves its key's slot (`RedisCommandKey`), from
/// the slot map that `CLUSTER SLOTS` gave (RedisClusterClient+Discovery.swift).
/// - `-MOVED slot host:port`: the map learns the slot's new node, the command is sent there,
///   and the whole map is asked for again (a MOVED usually means a resharding or a failover).
/// - `-ASK slot host:port`: the command goes once to that node behind `ASKING`, pipelined on
///   the same connection; the map does not change (the slot is still migrating).
/// - At most `maximumRedirects` redirects per command, then the error reply is the answer.
/// - A slot whose node is unknown or not connected fails at once with `.unavailable` (a 503
///   upstream), never queued: the map is asked for again in the background. Only a command
///   for a node whose connection is being made waits for it, up to `connectWait`.
///
/// Thread-safety: `@unchecked Sendable`; state touched only on `queue`. `start()`/`close()`
/// hop onto it.
public final class RedisClusterClient: RedisClient, @unchecked Sendable {
    public static let maximumRedirects = 5
    /// How long a redirected command waits for a node that is still connecting.
    static let connectWait: Duration = .milliseconds(500)

    public let queue: DispatchQueue
    public let seeds: [RedisAddress]
    let password: String?
    let logger: Logger?
    let commandTimeout: Duration
    let makeSocketIO: SocketIOFactory?

    /// The slot map covers every slot and some primary answers (RedisClusterClient+Discovery).
    public private(set) var isConnected = false
    public var onConnectionChange: ((Bool) -> Void)?
    public var isCluster: Bool { true }

    /// One connection per node this loop talks to: the map's primaries and the seeds.
    var nodes: [RedisAddress: RedisConnection] = [:]
    var map = ClusterSlotMap()
    var closed = false
    var started = false
    var refreshInFlight = false
    var lastRefresh: UInt64 = 0
    var ticker: DispatchSourceTimer?
    /// Redirects followed (MOVED and ASK), for the tests.
    public private(set) var redirectsFollowed = 0

    public init(
        queue: DispatchQueue, seeds: [RedisAddress], password: String? = nil, logger: Logger? = nil,
        commandTimeout: Duration = RedisConnection.defaultCommandTimeout, socketIO: SocketIOFactory? = nil
    ) {
        precondition(!seeds.isEmpty, "a cluster needs at least one seed node")
        self.queue = queue
        self.seeds = seeds
        self.password = password
        self.logger = logger
        self.commandTimeout = commandTimeout
        self.makeSocketIO = socketIO
    }

    deinit { ticker?.cancel() }

    public func start() {
        queue.async { [self] in
            guard !started, !closed else { return }
            started = true
            for seed in seeds { _ = connection(to: seed) }
            startTicker()
        }
    }

    public func close() {
        queue.async { [self] in
            guard !closed else { return }
            closed = true
            ticker?.cancel()
            ticker = nil
            for connection in nodes.values { connection.close() }
            nodes = [:]
            setConnected(false)
        }
    }

    /// How many slots each primary serves in the current map (for the tests).
    public var slotCounts: [RedisAddress: Int] { map.slotCounts }

    // MARK: Routing

    public func send(_ args: [[UInt8]], completion: @escaping (Result<RedisValue, RedisError>) -> Void) {
        #if DEBUG
            dispatchPrecondition(condition: .onQueue(queue))
        #endif
        route(args, redirectsLeft: Self.maximumRedirects, asking: nil, completion: completion)
    }

    /// `mayWait`: false once this command waited for its node, so it waits only once.
    private func route(
        _ args: [[UInt8]], redirectsLeft: Int, asking: RedisAddress?, mayWait: Bool = true,
        completion: @escaping (Result<RedisValue, RedisError>) -> Void
    ) {
        guard !closed else { return completion(.failure(.unavailable)) }
        let target: RedisConnection
        if let asking {
            target = connection(to: asking)
        } else if let slot = RedisCommandKey.slot(of: args) {
            guard let address = map.node(forSlot: slot) else {
                refreshSoon()
                return completion(.failure(.unavailable))
            }
            target = connection(to: address)
        } else if let any = anyConnectedNode() {
            target = any
        } else {
            refreshSoon()
            return completion(.failure(.unavailable))
        }
        guard target.isConnected else {
            // A node being connected to (new in the map, or redirected to) is worth a short
            // wait; one that failed its last attempt is not.
            if mayWait, target.isConnecting {
                awaitConnection(target, deadline: Self.deadline(after: Self.connectWait)) { [self] in
                    route(args, redirectsLeft: redirectsLeft, asking: asking, mayWait: false, completion: completion)
                }
            } else {
                refreshSoon()
                completion(.failure(.unavailable))
            }
            return
        }
        if asking != nil { target.send([Self.askingCommand]) { _ in } }
        target.send(args) { [self] result in
            if case .failure(let error) = result {
                if let message = error.replyMessage {
                    if redirectsLeft > 0, let redirect = ClusterRedirect(message) {
                        redirectsFollowed += 1
                        switch redirect {
                        case .moved(let slot, let address):
                            map.assign(slot, to: address)
                            refreshSoon()
                            // A second MOVED for one command: nodes that disagree for a moment
                            // (mid-resharding) bounce it, so give them 25, 50, 75 ms.
                            let bounced = Self.maximumRedirects - redirectsLeft
                            guard bounced > 0 else {
                                return route(
                                    args, redirectsLeft: redirectsLeft - 1, asking: nil, completion: completion)
                            }
                            nonisolated(unsafe) let completion = completion
                            queue.asyncAfter(deadline: .now() + .milliseconds(25 * bounced)) { [self] in
                                route(args, redirectsLeft: redirectsLeft - 1, asking: nil, completion: completion)
                            }
                        case .ask(_, let address):
                            route(args, redirectsLeft: redirectsLeft - 1, asking: address, completion: completion)
                        }
                        return
                    }
                    // TRYAGAIN: a multi-key command during a migration; CLUSTERDOWN: the slot
                    // has no primary at the moment.
                    if redirectsLeft > 0, message.hasPrefix("TRYAGAIN") {
                        nonisolated(unsafe) let completion = completion
                        queue.asyncAfter(deadline: .now() + .milliseconds(20)) { [self] in
                            route(args, redirectsLeft: redirectsLeft - 1, asking: asking, completion: completion)
                        }
                        return
                    }
                    if message.hasPrefix("CLUSTERDOWN") { refreshSoon() }
                } else if error == .unavailable {
                    refreshSoon()
                }
            }
            completion(result)
        }
    }

    /// Re-runs `work` once `connection` answers, or fails it (through `work`'s own check) at
    /// `deadline`. Polls: only commands for a node still connecting wait here.
    private func awaitConnection(_ connection: RedisConnection, deadline: UInt64, work: @escaping () -> Void) {
        nonisolated(unsafe) let work = work
        queue.asyncAfter(deadline: .now() + .milliseconds(5)) { [self] in
            if connection.isConnected || !connection.isConnecting || DispatchTime.now().uptimeNanoseconds >= deadline
                || closed
            {
                work()
            } else {
                awaitConnection(connection, deadline: deadline, work: work)
            }
        }
    }

    func anyConnectedNode() -> RedisConnection? {
        for address in map.nodes { if let c = nodes[address], c.isConnected { return c } }
        return nodes.values.first { $0.isConnected }
    }

    /// The node's connection, made (and started) the first time it is needed.
    func connection(to address: RedisAddress) -> RedisConnection {
        if let known = nodes[address] { return known }
        let made = RedisConnection(
            queue: queue, host: address.host, port: address.port, database: 0, password: password, logger: logger,
            commandTimeout: commandTimeout, socketIO: makeSocketIO)
        made.onConnectionChange = { [weak self] up in self?.nodeChanged(up: up) }
        nodes[address] = made
        made.start()
        return made
    }

    func setConnected(_ up: Bool) {
        guard up != isConnected else { return }
        isConnected = up
        onConnectionChange?(up)
    }

    static func deadline(after duration: Duration) -> UInt64 {
        DispatchTime.now().uptimeNanoseconds + RedisConnection.nanoseconds(duration)
    }

    private static let askingCommand = Array("ASKING".utf8)
}

extension RedisConnection {
    /// Connecting or handshaking (not waiting out a backoff after a failure).
    var isConnecting: Bool { phase == .idle || phase == .connecting || phase == .handshaking }
}
