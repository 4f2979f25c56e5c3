// One event loop: a serial queue that owns its sockets, plus a coarse tick for deadlines.
import CCoreShims
import Dispatch

/// Something with deadlines, checked by its loop's tick.
public protocol LoopTickable: AnyObject {
    func tick(now: UInt64)
}

/// A serial `DispatchQueue` with the sockets that live on it.
///
/// Thread-safety: `@unchecked Sendable` because all mutable state is touched only on `queue`.
public final class EventLoop: @unchecked Sendable {
    public let index: Int
    public let queue: DispatchQueue
    /// How often deadlines are checked: the precision of every timeout.
    public static let tickInterval: DispatchTimeInterval = .milliseconds(100)

    private var tickables: [ObjectIdentifier: LoopTickable] = [:]
    private var tickTimer: DispatchSourceTimer?

    public let backend: EventBackend
    private var poller: EpollPoller?
    /// Client connections' read and write buffers, taken while they have bytes.
    public let buffers = BufferPool()

    public init(index: Int, backend: EventBackend = .epoll) {
        self.index = index
        self.backend = backend
        self.queue = DispatchQueue(label: "gateway.loop.\(index)", qos: .userInitiated)
    }

    /// Wraps a non-blocking fd for readiness events on this loop. Call on `queue`.
    public func makeSocketIO(fd: Int32, onReadable: @escaping () -> Void, onWritable: @escaping () -> Void) -> SocketIO {
        switch backend {
        case .dispatch:
            return DispatchSocketIO(fd: fd, queue: queue, onReadable: onReadable, onWritable: onWritable)
        case .epoll:
            if poller == nil { poller = EpollPoller(queue: queue, name: "gateway-loop-\(index)") }
            return poller!.makeSocket(fd: fd, onReadable: onReadable, onWritable: onWritable)
        }
    }

    /// Starts the tick timer. Call once.
    public func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.tickInterval, repeating: Self.tickInterval, leeway: .milliseconds(10))
        timer.setEventHandler { [unowned self] in self.runTick() }
        timer.resume()
        tickTimer = timer
    }

    public func execute(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }

    public func schedule(after delay: DispatchTimeInterval, _ work: @escaping @Sendable () -> Void) {
        queue.asyncAfter(deadline: .now() + delay, execute: work)
    }

    /// Registers a deadline owner; must be called on `queue`.
    public func register(_ tickable: LoopTickable) {
        tickables[ObjectIdentifier(tickable)] = tickable
    }

    /// Unregisters a deadline owner; must be called on `queue`.
    public func unregister(_ tickable: LoopTickable) {
        tickables.removeValue(forKey: ObjectIdentifier(tickable))
    }

    public var registeredCount: Int { tickables.count }

    /// Every registered object, for shutdown sweeps. Must be called on `queue`.
    public var registered: [LoopTickable] { Array(tickables.values) }

    /// The most objects registered since memory was last trimmed.
    private var peakSinceTrim = 0
    /// When this many fewer are registered than at the peak (thousands of connections closed),
    /// the memory they used goes back to the system: malloc keeps freed heap memory otherwise.
    static let trimAfterDrop = 1000

    /// After a busy spell, this long with no buffer taken (no bytes read or queued by any
    /// connection) and the loop counts as idle: what the spell left behind, the pool's free
    /// blocks and malloc's freed pages, goes back to the system once.
    var idleTrimDelay: UInt64 = 5_000_000_000
    private var takenAtLastTick: UInt64 = 0
    private var lastBusy: UInt64 = 0
    private var busySinceTrim = false

    private func runTick() {
        let now = MonotonicClock.now()
        trimAfterClosures()
        trimWhenIdle(now: now)
        guard !tickables.isEmpty else { return }
        // Copy first: a tick may close a connection, which unregisters it.
        for tickable in Array(tickables.values) {
            tickable.tick(now: now)
        }
    }

    private func trimWhenIdle(now: UInt64) {
        if buffers.taken != takenAtLastTick {
            (takenAtLastTick, lastBusy, busySinceTrim) = (buffers.taken, now, true)
            return
        }
        guard busySinceTrim, now &- lastBusy >= idleTrimDelay else { return }
        busySinceTrim = false
        buffers.shrink(to: buffers.limit / 8)
        FreedMemory.returnToSystem()
    }

    private func trimAfterClosures() {
        let count = tickables.count
        if count > peakSinceTrim { peakSinceTrim = count }
        guard peakSinceTrim - count >= Self.trimAfterDrop else { return }
        peakSinceTrim = count
        buffers.shrink(to: buffers.limit / 8)
        FreedMemory.returnToSystem()
    }
}
