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
    /// Every live entry's id under its owner, kept in step with `entries` by `remove`.
    private var byOwner: [SessionOwner: Set<SessionID>] = [:]
    /// Every live entry's id under its user, kept in step the same way.
    private var byUser: [String: Set<SessionID>] = [:]
    /// Every live entry with a `sid`, under `provider:sid`, kept in step the same way.
    private var bySID: [String: Set<SessionID>] = [:]
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
            remove(id)
            return nil
        }
        return entry.record
    }

    mutating func save(_ id: SessionID, _ record: SessionRecord, ttlSeconds: Int, nowMilliseconds: UInt64) {
        guard ttlSeconds > 0 else {
            remove(id)
            return
        }
        removeExpired(nowMilliseconds: nowMilliseconds)
        remove(id)
        generation += 1
        let deadline = nowMilliseconds + UInt64(ttlSeconds) * 1000
        entries[id] = Entry(record: record, deadline: deadline, generation: generation)
        byOwner[SessionOwner(record), default: []].insert(id)
        byUser[record.userID, default: []].insert(id)
        if let key = Self.sidKey(record) { bySID[key, default: []].insert(id) }
        heap.push(ExpiryHeap.Item(deadline: deadline, generation: generation, id: id))
        while entries.count > capacity, let victim = popLive() {
            remove(victim)
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
        remove(id)
    }

    /// Saves only over a live session; false (and nothing written) otherwise.
    mutating func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int, nowMilliseconds: UInt64, nowSeconds: Int64
    ) -> Bool {
        guard load(id, nowMilliseconds: nowMilliseconds, nowSeconds: nowSeconds) != nil else { return false }
        save(id, record, ttlSeconds: ttlSeconds, nowMilliseconds: nowMilliseconds)
        return true
    }

    /// Deletes the owner's sessions; answers how many there were.
    mutating func deleteSessions(of owner: SessionOwner) -> Int {
        let ids = byOwner[owner] ?? []
        for id in ids { remove(id) }
        return ids.count
    }

    /// The user's live sessions, oldest first; ended ones met on the way are dropped.
    mutating func sessions(ofUser userID: String, nowMilliseconds: UInt64, nowSeconds: Int64) -> [StoredSession] {
        let ids = byUser[userID] ?? []
        return ids.compactMap { id in
            load(id, nowMilliseconds: nowMilliseconds, nowSeconds: nowSeconds).map { StoredSession(id: id, record: $0) }
        }.sortedForListing()
    }

    /// Deletes those of `ids` that belong to `userID`; answers how many.
    mutating func deleteSessions(_ ids: [SessionID], ofUser userID: String) -> Int {
        let owned = Set(ids).intersection(byUser[userID] ?? [])
        for id in owned { remove(id) }
        return owned.count
    }

    /// Deletes the sessions of a provider's `sid`; answers how many there were.
    mutating func deleteSessions(provider: String, sid: String) -> Int {
        let ids = bySID[provider + ":" + sid] ?? []
        for id in ids { remove(id) }
        return ids.count
    }

    private static func sidKey(_ record: SessionRecord) -> String? { record.sid.map { record.provider + ":" + $0 } }

    /// The one way an entry leaves, so the owner index never holds a stale id.
    private mutating func remove(_ id: SessionID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        let owner = SessionOwner(entry.record)
        byOwner[owner]?.remove(id)
        if byOwner[owner]?.isEmpty == true { byOwner.removeValue(forKey: owner) }
        byUser[entry.record.userID]?.remove(id)
        if byUser[entry.record.userID]?.isEmpty == true { byUser.removeValue(forKey: entry.record.userID) }
        if let key = Self.sidKey(entry.record) {
            bySID[key]?.remove(id)
            if bySID[key]?.isEmpty == true { bySID.removeValue(forKey: key) }
        }
    }

    /// Drops sessions whose TTL ran out, soonest first (amortized: each save pays for a few).
    private mutating func removeExpired(nowMilliseconds: UInt64) {
        while let top = heap.first, top.deadline <= nowMilliseconds {
            _ = heap.popFirst()
            if entries[top.id]?.generation == top.generation { remove(top.id) }
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
