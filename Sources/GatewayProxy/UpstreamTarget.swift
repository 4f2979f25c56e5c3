// An upstream as the loops use it: resolved addresses and timeouts in nanoseconds.
import GatewayConfig
import GatewayCore

struct UpstreamTarget: Sendable {
    let name: String
    let servers: [SocketAddress]
    /// `host:port` as written in the config, for logs and Host fallbacks.
    let serverNames: [String]
    let keepalive: Int
    let connectTimeout: UInt64
    let readTimeout: UInt64
    let sendTimeout: UInt64

    /// Resolves every server; blocking, so startup only.
    init(_ config: UpstreamConfig) throws {
        name = config.name
        servers = try config.servers.map { try SocketAddress.resolve(host: $0.host, port: $0.port) }
        serverNames = config.servers.map(\.description)
        keepalive = config.keepalive
        connectTimeout = MonotonicClock.nanoseconds(config.connectTimeout)
        readTimeout = MonotonicClock.nanoseconds(config.readTimeout)
        sendTimeout = MonotonicClock.nanoseconds(config.sendTimeout)
    }
}
