// The memory store's refresh leases: owner and deadline per session, under the store's lock.

/// Plain state, mutated under `MemoryStore`'s lease lock. Deadlines are monotonic milliseconds.
struct MemoryLeaseTable {
    private var leases: [SessionID: (owner: String, deadline: UInt64)] = [:]

    mutating func acquire(_ id: SessionID, owner: String, milliseconds: Int, now: UInt64) -> Bool {
        if let held = leases[id], held.deadline > now { return false }
        if leases.count > 1024 { leases = leases.filter { $0.value.deadline > now } }
        leases[id] = (owner, now + UInt64(max(milliseconds, 1)))
        return true
    }

    mutating func renew(_ id: SessionID, owner: String, milliseconds: Int, now: UInt64) -> Bool {
        guard let held = leases[id], held.owner == owner, held.deadline > now else { return false }
        leases[id] = (owner, now + UInt64(max(milliseconds, 1)))
        return true
    }

    mutating func release(_ id: SessionID, owner: String) {
        if leases[id]?.owner == owner { leases.removeValue(forKey: id) }
    }
}
