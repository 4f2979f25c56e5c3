// An upstream as the loops use it: resolved addresses and timeouts in nanoseconds.
import GatewayConfig
import GatewayCore
import GatewayTLS

struct UpstreamTarget: Sendable {
    let name: String
    let servers: [SocketAddress]
    /// `host:port` as written in the config, for logs and Host fallbacks.
    let serverNames: [String]
    let keepalive: Int
    let connectTimeout: UInt64
    let readTimeout: UInt64
    let sendTimeout: UInt64
    /// For each server: TLS (`https://`) with the host it must be named for, or nil for plain.
    let tls: [(context: TLSClientContext, serverName: String)?]

    /// Resolves every server and loads the TLS trust (system store plus `ca_file`); blocking,
    /// so start-up only.
    init(_ config: UpstreamConfig) throws {
        name = config.name
        servers = try config.servers.map { try SocketAddress.resolve(host: $0.host, port: $0.port) }
        serverNames = config.servers.map(\.description)
        keepalive = config.keepalive
        connectTimeout = MonotonicClock.nanoseconds(config.connectTimeout)
        readTimeout = MonotonicClock.nanoseconds(config.readTimeout)
        sendTimeout = MonotonicClock.nanoseconds(config.sendTimeout)
        let context = try config.servers.contains(where: \.isTLS) ? TLSClientContext(config.tls ?? UpstreamTLSConfig()) : nil
        tls = config.servers.map { server in server.isTLS ? context.map { ($0, server.host) } : nil }
    }
}
