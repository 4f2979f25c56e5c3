// The memory under a ReadBuffer or a WriteQueue: its own allocation, or a pool's block on demand.

/// Without a pool it is allocated at once and kept. With one, a block is taken when bytes
/// first need it (`ensure()`) and given back by `release()`; meanwhile `base` is a placeholder
/// that is never touched.
struct BufferStorage {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private let initialCapacity: Int
    private let pool: BufferPool?
    private(set) var isHeld: Bool

    init(capacity: Int, pool: BufferPool?) {
        self.capacity = capacity
        initialCapacity = capacity
        self.pool = pool
        isHeld = pool == nil
        base = pool == nil
            ? UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16) : UnsafeMutableRawPointer(bitPattern: 16)!
    }

    @inline(__always) mutating func ensure() {
        if !isHeld {
            base = pool!.allocate(capacity)
            isHeld = true
        }
    }

    /// Gives the memory back to the pool (only pooled storage is ever given back); the caller
    /// has checked that nothing in it is still wanted. True when it was given back.
    mutating func release() -> Bool {
        guard let pool, isHeld else { return false }
        pool.release(base, capacity: capacity)
        isHeld = false
        capacity = initialCapacity
        return true
    }

    /// Moves to `newCapacity` bytes, keeping the first `keep`.
    mutating func grow(to newCapacity: Int, keeping keep: Int) {
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if keep > 0 { grown.copyMemory(from: base, byteCount: keep) }
        free()
        base = grown
        capacity = newCapacity
        isHeld = true
    }

    /// For the owner's deinit (and `grow`): the memory goes back, whatever it holds.
    func free() {
        guard isHeld else { return }
        if let pool { pool.release(base, capacity: capacity) } else { base.deallocate() }
    }
}
