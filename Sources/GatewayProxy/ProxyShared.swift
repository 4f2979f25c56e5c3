// What every loop shares: the compiled routes, upstream targets, limits, logs and counters.
import GatewayConfig
import GatewayCore
import Logging
import Synchronization

/// Thread-safety: immutable but for atomics, so it is `Sendable`.
final class ProxyShared: Sendable {
    let router: Router
    let upstreams: [UpstreamTarget]
    let maxHeaderSize: Int
    let maxConnections: Int
    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let keepaliveTimeout: UInt64
    let sendTimeout: UInt64
    let errorLog: Logger
    let accessLog: AccessLog?
    let health: HealthMonitor
    let activeConnections = AtomicCounter()
    private let drainingFlag = Atomic<Bool>(false)

    init(config: GatewayConfiguration, upstreams: [UpstreamTarget], errorLog: Logger, accessLog: AccessLog?, health: HealthMonitor) {
        router = Router(config: config)
        self.upstreams = upstreams
        maxHeaderSize = config.maxHeaderSize
        maxConnections = config.maxConnections
        headerTimeout = MonotonicClock.nanoseconds(config.clientHeaderTimeout)
        bodyTimeout = MonotonicClock.nanoseconds(config.clientBodyTimeout)
        keepaliveTimeout = MonotonicClock.nanoseconds(config.keepaliveTimeout)
        sendTimeout = MonotonicClock.nanoseconds(config.sendTimeout)
        self.errorLog = errorLog
        self.accessLog = accessLog
        self.health = health
    }

    /// Set once on SIGTERM: finish what is in flight, take nothing new.
    var isDraining: Bool { drainingFlag.load(ordering: .relaxed) }
    func startDraining() { drainingFlag.store(true, ordering: .relaxed) }
}

/// One loop's view: the shared state plus the loop's own upstream pool.
///
/// Thread-safety: touched only on `loop.queue`.
final class LoopContext: @unchecked Sendable {
    let loop: EventLoop
    let shared: ProxyShared
    let pool: UpstreamPool
    /// Providers and stores for sign-in; nil when no location needs it.
    var signIn: SignInContext?
    var upstreams: [UpstreamTarget] { shared.upstreams }

    init(loop: EventLoop, shared: ProxyShared) {
        self.loop = loop
        self.shared = shared
        pool = UpstreamPool(targets: shared.upstreams)
    }
}
