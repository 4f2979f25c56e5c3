// One loop's view of one configuration generation: the shared state plus the loop's own pool.
import Dispatch
import GatewayCore

/// Thread-safety: touched only on `loop.queue` (its deinit may run elsewhere; it only hops back).
final class LoopContext: @unchecked Sendable {
    let loop: EventLoop
    let shared: ProxyShared
    let pool: UpstreamPool
    /// The executable's sign-in for this loop; nil when no location needs it.
    var endpoint: LocalEndpoint?
    var gate: AccessGate?
    /// Runs on the loop once nothing uses this context any more (its connections are gone):
    /// the executable closes this generation's Redis and HTTP clients there.
    var onRelease: (() -> Void)?
    /// Request ids and new trace ids for this loop's requests.
    var ids = RequestIDGenerator()
    var upstreams: [UpstreamTarget] { shared.upstreams }
    /// Set on the loop's queue when a reload replaced this generation. Connections follow it
    /// between requests; requests in flight finish here.
    private(set) var successor: LoopContext?

    init(loop: EventLoop, shared: ProxyShared) {
        self.loop = loop
        self.shared = shared
        pool = UpstreamPool(targets: shared.upstreams)
    }

    deinit {
        guard let onRelease else { return }
        nonisolated(unsafe) let release = onRelease
        loop.execute { release() }
    }

    /// The newest generation on this loop, or nil when this one is current.
    var latest: LoopContext? {
        guard var next = successor else { return nil }
        // Bounded: each reload adds one link, and a connection follows them at its next request.
        while let newer = next.successor { next = newer }
        return next
    }

    /// A reload: `next` takes new requests, this pool drains (idle connections close now, busy
    /// ones when their exchange ends instead of being pooled).
    func retire(for next: LoopContext) {
        dispatchPrecondition(condition: .onQueue(loop.queue))
        precondition(successor == nil, "a loop context retired twice")
        successor = next
        pool.retire()
    }
}
