// Which primary serves each of the 16384 slots, as `CLUSTER SLOTS` last said (plus MOVEDs).

/// A value: the client replaces or patches it on its queue.
struct ClusterSlotMap: Equatable {
    /// The primaries, in the order first seen.
    private(set) var nodes: [RedisAddress] = []
    /// Per slot, an index into `nodes`, or -1 while no node is known for it.
    private var owners = [Int16](repeating: -1, count: ClusterHashSlot.count)

    init() {}

    /// Reads a `CLUSTER SLOTS` reply: `[[start, end, [host, port, id, ...], replicas...], ...]`.
    /// An empty host means the node that answered (`askedHost`); "?" (unknown) leaves the range
    /// unassigned. Nil for a reply of another shape.
    init?(slotsReply: RedisValue, askedHost: String) {
        guard case .array(let ranges) = slotsReply else { return nil }
        for range in ranges {
            guard case .array(let fields) = range, fields.count >= 3, case .integer(let start) = fields[0],
                case .integer(let end) = fields[1], 0 <= start, start <= end, end < ClusterHashSlot.count,
                case .array(let primary) = fields[2], primary.count >= 2, let host = primary[0].text,
                case .integer(let port) = primary[1]
            else { return nil }
            guard host != "?", (1...65_535).contains(port) else { continue }
            let address = RedisAddress(host: host.isEmpty ? askedHost : host, port: port)
            for slot in start...end { assign(slot, to: address) }
        }
    }

    func node(forSlot slot: Int) -> RedisAddress? {
        let index = owners[slot]
        return index < 0 ? nil : nodes[Int(index)]
    }

    /// True when every slot has a node.
    var coversEverySlot: Bool { !owners.contains(-1) }

    /// How many slots each node serves.
    var slotCounts: [RedisAddress: Int] {
        var counts: [RedisAddress: Int] = [:]
        for index in owners where index >= 0 { counts[nodes[Int(index)], default: 0] += 1 }
        return counts
    }

    mutating func assign(_ slot: Int, to address: RedisAddress) {
        let index: Int
        if let known = nodes.firstIndex(of: address) {
            index = known
        } else {
            nodes.append(address)
            index = nodes.count - 1
        }
        owners[slot] = Int16(index)
    }
}
