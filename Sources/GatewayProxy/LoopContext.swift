// One loop's view of one configuration generation: the shared state plus the loop's own pool.
import Dispatch
import GatewayCore
import GatewayMetrics
import GatewayTLS

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
    /// This loop's access log (the same in every generation); nil when `access_log off`.
    let accessLog: AccessLog?
    /// This loop's metrics recorder (the same in every generation); nil without `metrics_listen`.
    let metrics: LoopMetrics?
    /// This generation's locations and upstreams as the recorder's label indices.
    let labels: MetricLabels?
    /// This generation's TLS listeners' contexts, by address.
    let listenerTLS: [ListenerPlan.Key: TLSServerContext]
    var upstreams: [UpstreamTarget] { shared.upstreams }
    /// Set on the loop's queue when a reload replaced this generation. Connections follow it
    /// between requests; requests in flight finish here.
    private(set) var successor: LoopContext?

    init(
        loop: EventLoop, shared: ProxyShared, accessLog: AccessLog? = nil, metrics: LoopMetrics? = nil,
        labels: MetricLabels? = nil,
        listenerTLS: [ListenerPlan.Key: TLSServerContext] = [:]
    ) {
        self.loop = loop
        self.shared = shared
        self.accessLog = accessLog
        self.metrics = metrics
        self.labels = labels
        self.listenerTLS = listenerTLS
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
