// The memory store's sessions: a table with TTLs and a bound, evicting the soonest-expiring.

/// Plain state, mutated under `MemoryStore`'s lock.
struct MemorySessionTable {
    private struct Entry {
        var record: SessionRecord
        var deadline: UInt64
        var generation: UInt64
    }

    let capacity: Int
    private var entries: [SessionID: Entry] = [:]
    private var heap = ExpiryHeap()
    private var generation: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a memory session store needs room for at least one session")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// `nowMilliseconds` is monotonic (TTLs); `nowSeconds` is unix time (`expiresAt`).
    mutating func load(_ id: SessionID, nowMilliseconds: UInt64, nowSeconds: Int64) -> SessionRecord? {
        guard let entry = entries[id] else { return nil }
        guard entry.deadline > nowMilliseconds, entry.record.expiresAt > nowSeconds else {
            entries.removeValue(forKey: id)
            return nil
        }
        return entry.record
    }

    mutating func save(_ id: SessionID, _ record: SessionRecord, ttlSeconds: Int, nowMilliseconds: UInt64) {
        guard ttlSeconds > 0 else {
            entries.removeValue(forKey: id)
            return
        }
        removeExpired(nowMilliseconds: nowMilliseconds)
        generation += 1
        let deadline = nowMilliseconds + UInt64(ttlSeconds) * 1000
        entries[id] = Entry(record: record, deadline: deadline, generation: generation)
        heap.push(ExpiryHeap.Item(deadline: deadline, generation: generation, id: id))
        while entries.count > capacity, let victim = popLive() {
            entries.removeValue(forKey: victim)
        }
        // Every save of a live session leaves a stale heap item behind; drop them in bulk.
        if heap.count > 2 * entries.count + 1024 {
            heap.rebuild(
                entries.map {
                    ExpiryHeap.Item(deadline: $0.value.deadline, generation: $0.value.generation, id: $0.key)
                })
        }
    }

    mutating func delete(_ id: SessionID) {
        entries.removeValue(forKey: id)
    }

    /// Drops sessions whose TTL ran out, soonest first (amortized: each save pays for a few).
    private mutating func removeExpired(nowMilliseconds: UInt64) {
        while let top = heap.first, top.deadline <= nowMilliseconds {
            _ = heap.popFirst()
            if entries[top.id]?.generation == top.generation { entries.removeValue(forKey: top.id) }
        }
    }

    /// The soonest-expiring live session, taken off the heap.
    private mutating func popLive() -> SessionID? {
        while let top = heap.popFirst() {
            if entries[top.id]?.generation == top.generation { return top.id }
        }
        return nil
    }
}
