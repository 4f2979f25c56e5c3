// What outlives a reload: the open-connection count behind max_connections, its refusals' log
// throttle, and the draining flag.
import GatewayCore
import Synchronization

/// Thread-safety: atomics only, so it is `Sendable`. One per server; every generation's
/// `ProxyShared` points at the same one, so a reload neither resets nor forks the count.
final class ServerWideState: Sendable {
    let activeConnections = AtomicCounter()
    private let drainingFlag = Atomic<Bool>(false)
    /// Connections refused at max_connections, logged once a second with their count.
    let refusals = ThrottledCount()

    init() {}

    /// Set once on SIGTERM: finish what is in flight, take nothing new.
    var isDraining: Bool { drainingFlag.load(ordering: .relaxed) }
    func startDraining() { drainingFlag.store(true, ordering: .relaxed) }
}
