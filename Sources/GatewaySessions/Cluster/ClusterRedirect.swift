// `-MOVED slot host:port` and `-ASK slot host:port`: a cluster node naming the node to ask.

/// Pure: parses an error reply's text.
enum ClusterRedirect: Equatable {
    /// The slot lives on that node now: update the map, and ask there.
    case moved(slot: Int, RedisAddress)
    /// The slot is being migrated and this key is there already: ask once (after `ASKING`),
    /// without changing the map.
    case ask(slot: Int, RedisAddress)

    init?(_ message: String) {
        let parts = message.split(separator: " ")
        guard parts.count == 3, let slot = Int(parts[1]), (0..<ClusterHashSlot.count).contains(slot),
            let address = RedisAddress(parts[2])
        else { return nil }
        switch parts[0] {
        case "MOVED": self = .moved(slot: slot, address)
        case "ASK": self = .ask(slot: slot, address)
        default: return nil
        }
    }
}
