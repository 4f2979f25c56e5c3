// A loop's recently loaded sessions: bounded (least recently used goes first), each for a short TTL.

/// Plain state, owned by one loop. Times are monotonic nanoseconds.
///
/// A load that started before an invalidation must not put back what the invalidation removed
/// (Redis answered with the record as it was before the sign-out): `beginLoad()` hands out the
/// current invalidation serial and `insert(_:_:ifStillAt:)` refuses a stale one.
struct SessionCache {
    private struct Node {
        var id: SessionID
        var record: SessionRecord
        var storedAt: UInt64
        var prev: Int
        var next: Int
    }

    let capacity: Int
    let ttlNanos: UInt64
    private var index: [SessionID: Int] = [:]
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    /// Most recently used first; -1 ends the list.
    private var head = -1
    private var tail = -1
    /// Moves on every eviction by id, owner or flush.
    private(set) var invalidations: UInt64 = 0

    init(capacity: Int, ttlNanos: UInt64) {
        precondition(capacity > 0, "a session cache needs room for one session")
        self.capacity = capacity
        self.ttlNanos = ttlNanos
    }

    var count: Int { index.count }

    /// The record while it is fresh (and marked used), else nil (a stale one is dropped).
    mutating func lookup(_ id: SessionID, now: UInt64) -> SessionRecord? {
        guard let slot = index[id] else { return nil }
        guard now &- nodes[slot].storedAt < ttlNanos else {
            unlink(slot)
            return nil
        }
        moveToFront(slot)
        return nodes[slot].record
    }

    /// The serial a load started at, for `insert`.
    func beginLoad() -> UInt64 { invalidations }

    /// Keeps `record` unless something was invalidated since `serial` (then it may be stale).
    mutating func insert(_ id: SessionID, _ record: SessionRecord, now: UInt64, ifStillAt serial: UInt64) {
        guard serial == invalidations else { return }
        store(id, record, now: now)
    }

    /// Keeps what this instance itself just wrote.
    mutating func store(_ id: SessionID, _ record: SessionRecord, now: UInt64) {
        if let slot = index[id] {
            nodes[slot].record = record
            nodes[slot].storedAt = now
            moveToFront(slot)
            return
        }
        if index.count >= capacity, tail >= 0 { unlink(tail) }
        let node = Node(id: id, record: record, storedAt: now, prev: -1, next: head)
        let slot: Int
        if let free = freeSlots.popLast() {
            nodes[free] = node
            slot = free
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if head >= 0 { nodes[head].prev = slot }
        head = slot
        if tail < 0 { tail = slot }
        index[id] = slot
    }

    mutating func evict(_ id: SessionID) {
        invalidations &+= 1
        if let slot = index[id] { unlink(slot) }
    }

    /// Every cached session `matches` picks (a user's, an identity's): rare, so a scan.
    mutating func evict(where matches: (SessionRecord) -> Bool) {
        invalidations &+= 1
        for (_, slot) in index where matches(nodes[slot].record) { unlink(slot) }
    }

    /// Everything: the invalidation channel was lost, so nothing cached can be trusted.
    mutating func removeAll() {
        invalidations &+= 1
        index.removeAll()
        nodes.removeAll()
        freeSlots.removeAll()
        (head, tail) = (-1, -1)
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if node.prev >= 0 { nodes[node.prev].next = node.next } else { head = node.next }
        if node.next >= 0 { nodes[node.next].prev = node.prev } else { tail = node.prev }
        index.removeValue(forKey: node.id)
        freeSlots.append(slot)
    }

    private mutating func moveToFront(_ slot: Int) {
        guard head != slot else { return }
        let node = nodes[slot]
        if node.prev >= 0 { nodes[node.prev].next = node.next }
        if node.next >= 0 { nodes[node.next].prev = node.prev } else { tail = node.prev }
        nodes[slot].prev = -1
        nodes[slot].next = head
        if head >= 0 { nodes[head].prev = slot }
        head = slot
    }
}
