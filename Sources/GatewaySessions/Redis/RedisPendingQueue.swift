// Commands in flight on one connection, oldest first: hiredis answers them in this order.

/// A FIFO of completions with deadlines. Every command gets the same timeout on a monotonic
/// clock, so deadlines grow along the queue and the timed-out ones are always a prefix.
struct RedisPendingQueue {
    typealias Completion = (Result<RedisValue, RedisError>) -> Void

    private struct Entry {
        let id: UInt
        let deadline: UInt64
        /// The bytes the sender expects back (`send(_:reusing:completion:)`).
        var known: [UInt8]?
        var completion: Completion?
    }

    private var entries: [Entry] = []
    private var head = 0
    /// `entries[head ..< head + expiredCount]` timed out and wait only for their late replies.
    private var expiredCount = 0

    var count: Int { entries.count - head }
    var isEmpty: Bool { head == entries.count }

    mutating func append(id: UInt, deadline: UInt64, known: [UInt8]? = nil, completion: @escaping Completion) {
        entries.append(Entry(id: id, deadline: deadline, known: known, completion: completion))
    }

    /// The bytes the oldest command's sender expects back, if it said.
    var firstKnown: [UInt8]? { head < entries.count ? entries[head].known : nil }

    /// Removes the oldest entry, which must be `id`; returns its completion, or nil when it
    /// already timed out.
    mutating func popFirst(id: UInt) -> Completion? {
        precondition(head < entries.count, "redis reply \(id) arrived with no command in flight")
        let entry = entries[head]
        precondition(entry.id == id, "redis reply for command \(id) arrived before command \(entry.id)")
        entries[head].completion = nil
        entries[head].known = nil
        head += 1
        if expiredCount > 0 { expiredCount -= 1 }
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return entry.completion
    }

    /// Marks every entry whose deadline is at or before `now` as timed out and returns their
    /// completions, oldest first.
    mutating func expire(now: UInt64) -> [Completion] {
        var due: [Completion] = []
        var i = head + expiredCount
        while i < entries.count, entries[i].deadline <= now {
            if let completion = entries[i].completion { due.append(completion) }
            entries[i].completion = nil
            entries[i].known = nil
            i += 1
        }
        expiredCount = i - head
        return due
    }

    /// The deadline of the oldest entry that has not timed out yet.
    var nextDeadline: UInt64? {
        let i = head + expiredCount
        return i < entries.count ? entries[i].deadline : nil
    }

    /// Empties the queue and returns the completions still owed, oldest first.
    mutating func removeAll() -> [Completion] {
        let owed = entries[head...].compactMap(\.completion)
        entries.removeAll()
        head = 0
        expiredCount = 0
        return owed
    }
}
