// `-MOVED slot host:port` and `-ASK slot host:port`: a cluster node naming the node to ask.

/// A cluster node's address as the cluster reports it.
public struct ClusterNodeAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`; the port is after the last ':' (so IPv6 hosts need no brackets).
    init?(_ text: Substring) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port), colon != text.startIndex
        else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }

    public var description: String { "\(host):\(port)" }
}

/// Pure: parses an error reply's text.
enum ClusterRedirect: Equatable {
    /// The slot lives on that node now: update the map, and ask there.
    case moved(slot: Int, ClusterNodeAddress)
    /// The slot is being migrated and this key is there already: ask once (after `ASKING`),
    /// without changing the map.
    case ask(slot: Int, ClusterNodeAddress)

    init?(_ message: String) {
        let parts = message.split(separator: " ")
        guard parts.count == 3, let slot = Int(parts[1]), (0..<ClusterHashSlot.count).contains(slot),
            let address = ClusterNodeAddress(parts[2])
        else { return nil }
        switch parts[0] {
        case "MOVED": self = .moved(slot: slot, address)
        case "ASK": self = .ask(slot: slot, address)
        default: return nil
        }
    }
}
