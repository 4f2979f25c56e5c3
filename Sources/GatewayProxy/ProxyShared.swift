// What every loop of one configuration generation shares: routes, upstream targets, limits, logs.
import GatewayConfig
import GatewayCore
import GatewayMetrics
import Logging

/// Thread-safety: immutable but for atomics, so it is `Sendable`.
final class ProxyShared: Sendable {
    let router: Router
    /// Identity header names, gateway cookies and `underscores_in_headers`, for HeadRewriter.
    let forwarding: ForwardingPolicy
    let upstreams: [UpstreamTarget]
    let maxHeaderSize: Int
    let maxConnections: Int
    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let keepaliveTimeout: UInt64
    let sendTimeout: UInt64
    /// `tunnel_idle_timeout`, in nanoseconds.
    let tunnelIdleTimeout: UInt64
    /// Peers whose forwarded headers are believed (`trusted_proxies`).
    let trustedProxies: [TrustedNetwork]
    /// `underscores_in_headers on`: client fields with `_` in the name are kept.
    let underscoresInHeaders: Bool
    /// `allow_encoded_slashes on`: `%2F` and `%5C` are accepted in paths.
    let allowEncodedSlashes: Bool
    /// Origins that may open a WebSocket on a protected location: `public_url`'s and `websocket_origins`.
    let websocketOrigins: [PublicURL]
    let errorLog: Logger
    let health: HealthMonitor
    /// `Strict-Transport-Security`'s value when `hsts` is on, and its whole field line.
    let hstsValue: String?
    let hsts: [UInt8]?
    /// Server-wide, shared by every generation: the connection count and the draining flag.
    let server: ServerWideState
    var activeConnections: AtomicCounter { server.activeConnections }

    init(
        config: GatewayConfiguration, upstreams: [UpstreamTarget], errorLog: Logger,
        health: HealthMonitor, server: ServerWideState = ServerWideState()
    ) {
        self.server = server
        router = Router(config: config)
        forwarding = ForwardingPolicy(config: config)
        self.upstreams = upstreams
        maxHeaderSize = config.maxHeaderSize
        maxConnections = config.maxConnections
        headerTimeout = MonotonicClock.nanoseconds(config.clientHeaderTimeout)
        bodyTimeout = MonotonicClock.nanoseconds(config.clientBodyTimeout)
        keepaliveTimeout = MonotonicClock.nanoseconds(config.keepaliveTimeout)
        sendTimeout = MonotonicClock.nanoseconds(config.sendTimeout)
        tunnelIdleTimeout = MonotonicClock.nanoseconds(config.tunnelIdleTimeout)
        trustedProxies = config.trustedProxies
        underscoresInHeaders = config.underscoresInHeaders
        allowEncodedSlashes = config.allowEncodedSlashes
        websocketOrigins = (config.publicURL.map { [$0] } ?? []) + config.websocketOrigins
        self.errorLog = errorLog
        self.health = health
        hstsValue = config.hsts?.headerValue
        hsts = hstsValue.map { Array("Strict-Transport-Security: \($0)\r\n".utf8) }
    }

    /// Whether forwarded headers from this peer are believed (`trusted_proxies`).
    func isTrusted(_ peer: SocketAddress) -> Bool {
        guard !trustedProxies.isEmpty else { return false }
        let bytes = peer.addressBytes
        return trustedProxies.contains { $0.contains(bytes) }
    }

    /// Set once on SIGTERM (server-wide): finish what is in flight, take nothing new.
    var isDraining: Bool { server.isDraining }

    /// The machine's clocks for this generation's connections.
    var exchangeTimeouts: ExchangeMachine.Timeouts {
        .init(header: headerTimeout, idle: keepaliveTimeout, body: bodyTimeout)
    }
}
