// Buffer memory a loop keeps for its connections: taken when one has bytes, given back when idle.

/// Blocks of `blockSize` bytes, at most `limit` of them kept free; past that, given-back
/// blocks are freed. An idle keep-alive connection holds no buffer at all: ten thousand of
/// them cost their objects and nothing more, and the blocks busy connections use come back
/// to the pool instead of to malloc (which would not return them to the system either).
///
/// Thread-safety: one pool per loop, touched only on its queue.
public final class BufferPool {
    public let blockSize: Int
    public let limit: Int
    private var free: [UnsafeMutableRawPointer] = []

    public init(blockSize: Int = 16 * 1024, limit: Int = 128) {
        self.blockSize = blockSize
        self.limit = limit
        free.reserveCapacity(limit)
    }

    deinit {
        for block in free { block.deallocate() }
    }

    /// Blocks waiting for a connection.
    public var freeCount: Int { free.count }
    /// Blocks handed out so far: the loop reads it to tell a busy spell from an idle one.
    public private(set) var taken: UInt64 = 0

    /// Frees blocks until at most `count` are kept (after many connections closed).
    public func shrink(to count: Int) {
        while free.count > count { free.removeLast().deallocate() }
    }

    public func take() -> UnsafeMutableRawPointer {
        taken &+= 1
        return free.popLast() ?? UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
    }

    /// A block of `blockSize` from `take()`.
    public func give(_ block: UnsafeMutableRawPointer) {
        if free.count < limit { free.append(block) } else { block.deallocate() }
    }

    /// Storage for a buffer of `capacity` bytes: a pooled block when it is the pool's size.
    func allocate(_ capacity: Int) -> UnsafeMutableRawPointer {
        capacity == blockSize ? take() : UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// Gives back what `allocate(capacity)` (or a grown buffer) holds.
    func release(_ storage: UnsafeMutableRawPointer, capacity: Int) {
        if capacity == blockSize { give(storage) } else { storage.deallocate() }
    }
}
