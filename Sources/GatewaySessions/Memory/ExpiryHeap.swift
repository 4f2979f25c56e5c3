// A min-heap of session deadlines, to evict the soonest-expiring session in O(log n).

/// Entries go stale when a session is saved again or deleted; the owner checks `generation`
/// against its table and drops stale ones as they surface.
struct ExpiryHeap {
    struct Item {
        var deadline: UInt64
        var generation: UInt64
        var id: SessionID

        func precedes(_ other: Item) -> Bool {
            (deadline, generation) < (other.deadline, other.generation)
        }
    }

    private(set) var items: [Item] = []

    var count: Int { items.count }
    var first: Item? { items.first }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        siftDown(from: 0)
        return top
    }

    /// Replaces the contents (used to drop stale entries in one pass).
    mutating func rebuild(_ newItems: [Item]) {
        items = newItems
        var i = items.count / 2
        while i > 0 {
            i -= 1
            siftDown(from: i)
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
            if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
            if smallest == parent { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
