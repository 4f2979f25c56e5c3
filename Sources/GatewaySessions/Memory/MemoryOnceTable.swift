// The memory store's once-only keys (logout tokens' `jti`): each remembered until its deadline.

/// Plain state, mutated under `MemoryStore`'s lock. Bounded: when full, expired keys are
/// dropped, and if none has expired the claim is refused (a replay is never let through).
struct MemoryOnceTable {
    static let capacity = 100_000
    private var deadlines: [String: UInt64] = [:]

    /// True when `key` was not held (it is now, until `nowMilliseconds + ttlSeconds`).
    mutating func claim(_ key: String, ttlSeconds: Int, nowMilliseconds: UInt64) -> Bool {
        if let deadline = deadlines[key], deadline > nowMilliseconds { return false }
        if deadlines.count >= Self.capacity {
            deadlines = deadlines.filter { $0.value > nowMilliseconds }
            guard deadlines.count < Self.capacity else { return false }
        }
        deadlines[key] = nowMilliseconds + UInt64(max(ttlSeconds, 1)) * 1000
        return true
    }
}
