// The set of event loops, one per worker, and round-robin choice among them.

/// Thread-safety: immutable after init; `next()` uses an atomic counter.
public final class EventLoopGroup: @unchecked Sendable {
    public let loops: [EventLoop]
    private let counter = AtomicCounter()

    public init(count: Int, backend: EventBackend = .epoll) {
        precondition(count > 0, "an event loop group needs at least one loop")
        loops = (0..<count).map { EventLoop(index: $0, backend: backend) }
    }

    public func start() {
        for loop in loops { loop.start() }
    }

    public func next() -> EventLoop {
        loops[Int(counter.increment() % UInt64(loops.count))]
    }
}
