// One hiredis async connection per event loop: it connects, authenticates, selects the
// database, reconnects with backoff, and pipelines every command of its loop.
import CHiredis
import Dispatch
import GatewayCore
import Logging

/// A Redis client connection driven by Dispatch sources on its loop's queue.
///
/// Thread-safety: `@unchecked Sendable`; touched only on `queue`. `start()` and `close()` may
/// be called from any thread (they hop onto `queue`); `send`, `isConnected` and
/// `onConnectionChange` belong to `queue`.
///
/// Lifetime: while a socket is open (connecting or connected), hiredis holds the connection, so
/// dropping the last reference does not stop it: call `close()`, which also stops reconnecting.
public final class RedisConnection: @unchecked Sendable {
    public static let defaultCommandTimeout: Duration = .seconds(2)
    public static let defaultConnectTimeout: Duration = .seconds(2)
    /// The first reconnect delay; it doubles after each failed attempt up to the maximum.
    public static let initialBackoff: Duration = .milliseconds(100)
    public static let maximumBackoff: Duration = .seconds(5)

    enum Phase {
        case idle, connecting, handshaking, ready, waiting, closed
    }

    public let queue: DispatchQueue
    /// Where it connects; a `locator` (Sentinel) sets them before each attempt.
    public internal(set) var host: String
    public internal(set) var port: Int
    public let database: Int
    private let password: String?
    let logger: Logger?
    let commandTimeout: UInt64
    private let connectTimeout: UInt64

    /// True once connected, authenticated, on the right database, and answering.
    public internal(set) var isConnected = false
    /// Called on `queue` when `isConnected` changes.
    public var onConnectionChange: ((Bool) -> Void)?
    /// Socket events for the connection (the loop's epoll set, or Dispatch sources).
    private let makeSocketIO: SocketIOFactory
    /// What `onConnectionChange` last said. Kept apart from `isConnected`, which a dying
    /// context clears early (from its NULL replies) so that a loss is still announced.
    private var announcedUp = false

    var phase = Phase.idle
    var adapter: RedisDispatchAdapter?
    var pending = RedisPendingQueue()
    var lastCommandID: UInt = 0
    var timer: DispatchSourceTimer?
    var timerDeadline: UInt64?
    /// Why we dropped the connection ourselves, for the log line when its context ends.
    var abandonReason: String?
    var attempt = 0
    var backoff = RedisConnection.initialBackoff
    private var handshakeRemaining = 0
    /// A failure was logged; the next success is logged as a recovery, and repeats stay quiet.
    private var reportedDown = false
    /// Set by `subscribe(to:onMessage:)`: the connection then only listens on one channel.
    var subscription: Subscription?
    /// Where to connect, asked before every attempt (Sentinel/RedisConnection+Primary.swift);
    /// nil: `host` and `port` as given.
    var locator: RedisLocator?
    /// Called on `queue` with the reason whenever an attempt fails or the connection is lost.
    public var onFailure: ((String) -> Void)?

    struct Subscription {
        var channel: [UInt8]
        var onMessage: ([UInt8]) -> Void
    }

    public init(
        queue: DispatchQueue, host: String, port: Int, database: Int = 0, password: String? = nil,
        logger: Logger? = nil, commandTimeout: Duration = defaultCommandTimeout,
        connectTimeout: Duration = defaultConnectTimeout, socketIO: SocketIOFactory? = nil
    ) {
        self.queue = queue
        // Without a loop's factory: a Dispatch source pair on `queue`.
        self.makeSocketIO = socketIO ?? { fd, onReadable, onWritable in
            DispatchSocketIO(fd: fd, queue: queue, onReadable: onReadable, onWritable: onWritable)
        }
        self.host = host
        self.port = port
        self.database = database
        self.password = password
        self.logger = logger
        self.commandTimeout = Self.nanoseconds(commandTimeout)
        self.connectTimeout = Self.nanoseconds(connectTimeout)
    }

    deinit {
        timer?.cancel()
    }

    /// Connects in the background; on loss, reconnects with backoff until `close()`.
    public func start() {
        queue.async { [self] in
            if phase == .idle { connect() }
        }
    }

    /// Drops the connection for good. Commands in flight fail with `.unavailable`.
    public func close() {
        queue.async { [self] in closeNow() }
    }

    private func closeNow() {
        guard phase != .closed else { return }
        let wasConnected = announcedUp
        announcedUp = false
        phase = .closed
        isConnected = false
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        abandon("closed")
        logger?.debug("redis connection closed", metadata: metadata)
        if wasConnected { onConnectionChange?(false) }
    }

    // MARK: Connecting

    func connect() {
        phase = .connecting
        attempt += 1
        let generation = attempt
        if locator != nil { return locate(generation) }
        connect(generation)
    }

    /// Connects to `host` and `port`, within the connect timeout.
    func connect(_ generation: Int) {
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(connectTimeout))) { [weak self] in
            guard let self, attempt == generation, phase == .connecting || phase == .handshaking else { return }
            if adapter == nil {
                attempt += 1  // still resolving: its answer will find a newer attempt and be dropped
                attemptFailed("connect timed out")
            } else {
                abandon("connect timed out")
            }
        }
        if Self.isNumericAddress(host) {
            open(address: host, generation: generation)
            return
        }
        // getaddrinfo blocks, so names are resolved off the loop.
        let host = self.host
        DispatchQueue.global().async { [self] in
            let addresses = Self.resolve(host)
            queue.async { [self] in
                guard attempt == generation, phase == .connecting else { return }
                if !addresses.isEmpty {
                    // Successive attempts rotate through the addresses (say ::1, then 127.0.0.1).
                    open(address: addresses[generation % addresses.count], generation: generation)
                } else {
                    attemptFailed("cannot resolve \(host)")
                }
            }
        }
    }

    private func open(address: String, generation: Int) {
        guard let context = redisAsyncConnect(address, Int32(clamping: port)) else {
            attemptFailed("out of memory")
            return
        }
        if context.pointee.err != 0 {
            let reason = context.pointee.errstr.map { String(cString: $0) } ?? "connect failed"
            redisAsyncFree(context)  // no hooks attached yet: hiredis only closes and frees
            attemptFailed(reason)
            return
        }
        guard let adapter = RedisDispatchAdapter(context: context, connection: self, queue: queue, makeIO: makeSocketIO) else {
            redisAsyncFree(context)
            attemptFailed("out of file descriptors")
            return
        }
        self.adapter = adapter
        adapter.attach()
        _ = redisEnableKeepAlive(&context.pointee.c)
        _ = redisAsyncSetDisconnectCallback(context) { context, status in
            // Runs after `cleanup`, which already did the bookkeeping; `context` is freed next.
            guard status != REDIS_OK, let context, let adapter = RedisDispatchAdapter.from(context.pointee.data)
            else { return }
            adapter.connection.logger?.debug("redis disconnected with an error")
        }
        _ = redisAsyncSetConnectCallback(context) { context, status in
            guard status == REDIS_OK, let context, let adapter = RedisDispatchAdapter.from(context.pointee.data)
            else { return }  // on failure hiredis frees the context next, and `cleanup` reports it
            adapter.connection.didConnect(adapter)
        }
    }

    private func didConnect(_ adapter: RedisDispatchAdapter) {
        guard adapter === self.adapter, phase == .connecting, let context = adapter.context else { return }
        phase = .handshaking
        var handshake: [(name: String, args: [[UInt8]])] = []
        if let password { handshake.append(("AUTH", [Array("AUTH".utf8), Array(password.utf8)])) }
        if database != 0 { handshake.append(("SELECT", [Array("SELECT".utf8), Array(String(database).utf8)])) }
        // A sentinel's answer may be stale: only a server that says it is the primary will do.
        if locator?.primaryOnly == true { handshake.append(("ROLE", [Array("ROLE".utf8)])) }
        // Without AUTH or SELECT, a PING: a socket the kernel accepted is not yet a Redis
        // that answers (it may be busy in a script), and "connected" should mean it answers.
        if handshake.isEmpty { handshake.append(("PING", [Array("PING".utf8)])) }
        handshakeRemaining = handshake.count
        for command in handshake {
            enqueue(command.args, on: context) { [self] result in
                guard phase == .handshaking, self.adapter === adapter else { return }
                switch result {
                case .success(let value) where command.name == "ROLE" && !Self.isPrimaryRole(value):
                    abandon("not the primary (ROLE says \(Self.roleName(value)))")
                case .success:
                    handshakeRemaining -= 1
                    guard handshakeRemaining == 0 else { break }
                    if subscription != nil { sendSubscribe(on: context) } else { becomeReady() }
                case .failure(let error) where error == .unavailable:
                    break  // hiredis is already tearing the connection down
                case .failure(let error):
                    // Error replies to AUTH never echo the password.
                    abandon("\(command.name) failed: \(error)")
                }
            }
        }
    }

    func becomeReady() {
        phase = .ready
        isConnected = true
        backoff = Self.initialBackoff
        logger?.info(reportedDown ? "redis connection restored" : "redis connected", metadata: metadata)
        reportedDown = false
        announcedUp = true
        onConnectionChange?(true)
    }

    /// Frees the live context, if any; `contextDidEnd` follows (at once, or after the current
    /// hiredis callback returns when called from one).
    func abandon(_ reason: String) {
        guard let context = adapter?.context else { return }
        abandonReason = reason
        redisAsyncFree(context)
    }

    /// Called by the adapter's `cleanup`: the context is gone; hiredis has already failed the
    /// commands in flight with NULL replies.
    func contextDidEnd(_ ended: RedisDispatchAdapter, error: String?) {
        guard ended === adapter else { return }
        adapter = nil
        let reason = error ?? abandonReason ?? "connection closed"
        abandonReason = nil
        for completion in pending.removeAll() { completion(.failure(.unavailable)) }
        guard phase != .closed else { return }
        isConnected = false
        if announcedUp {
            announcedUp = false
            reportDown("redis connection lost", reason)
            onConnectionChange?(false)
        } else {
            reportDown("redis unavailable", reason)
        }
        scheduleReconnect()
    }

    func attemptFailed(_ reason: String) {
        guard phase != .closed else { return }
        reportDown("redis unavailable", reason)
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        phase = .waiting
        let delay = backoff
        backoff = min(backoff * 2, Self.maximumBackoff)
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(Self.nanoseconds(delay)))) { [weak self] in
            if let self, phase == .waiting { connect() }
        }
    }

    /// Logs the first failure of a run of failures; the retries after it stay at debug level.
    private func reportDown(_ message: Logger.Message, _ reason: String) {
        onFailure?(reason)
        var fields = metadata
        fields["reason"] = .string(reason)
        if reportedDown {
            logger?.debug("redis reconnect failed", metadata: fields)
        } else {
            reportedDown = true
            logger?.warning(message, metadata: fields)
        }
    }

    /// Never includes the password.
    private var metadata: Logger.Metadata {
        var fields: Logger.Metadata = ["redis": .string("\(host):\(port)/\(database)")]
        if let locator { fields["sentinel_master"] = .string(locator.master) }
        return fields
    }
}
