// Which listeners a reload opens, closes and keeps: a pure diff of the old and new `listen` lines.
import GatewayConfig

/// A listener is the same across a reload when its address and port are: it keeps its sockets,
/// so there is no accept gap. Its TLS settings are not part of the key (certificates are
/// re-read in place).
struct ListenerPlan: Equatable {
    struct Key: Hashable, CustomStringConvertible {
        let host: String
        let port: Int
        init(_ listen: ListenerConfig) {
            host = listen.host
            port = listen.port
        }
        var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// New `listen` lines, in config order.
    let added: [ListenerConfig]
    /// Open listeners no longer in the config.
    let removed: [Key]
    /// Open listeners that stay as they are.
    let kept: [Key]

    init(open: [Key], config: [ListenerConfig]) {
        let wanted = Set(config.map(Key.init))
        let current = Set(open)
        var seen = Set<Key>()
        added = config.filter { !current.contains(Key($0)) && seen.insert(Key($0)).inserted }
        removed = open.filter { !wanted.contains($0) }
        kept = open.filter { wanted.contains($0) }
    }
}
