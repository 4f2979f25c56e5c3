// A reusable receive buffer: read() into its tail, parse from its head, compact as needed.
import CCoreShims
import Glibc

/// With a `pool`, the storage is taken from it when bytes first arrive and can be given back
/// while the buffer is empty (`releaseStorage()`): an idle connection then holds none.
///
/// Thread-safety: owned by one connection on one loop.
public final class ReadBuffer {
    private var memory: BufferStorage
    public var capacity: Int { memory.capacity }
    private var start = 0
    private var end = 0

    public init(capacity: Int = 16 * 1024, pool: BufferPool? = nil) {
        memory = BufferStorage(capacity: capacity, pool: pool)
    }

    deinit { memory.free() }

    /// Gives the storage back to the pool; the next read or append takes it again. Only while
    /// empty, and only with a pool (without one it keeps its storage).
    public func releaseStorage() {
        guard start == end, memory.release() else { return }
        start = 0
        end = 0
    }

    /// Whether storage is held now (for tests and the memory figures).
    public var holdsStorage: Bool { memory.isHeld }

    public var count: Int { end - start }
    public var isEmpty: Bool { end == start }

    /// The unconsumed bytes. Valid until the next read, append or consume.
    public var readable: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: memory.base + start, count: end - start)
    }

    public func consume(_ n: Int) {
        precondition(n <= end - start, "consumed more than is buffered")
        start += n
        if start == end {
            start = 0
            end = 0
        }
    }

    public func removeAll() {
        start = 0
        end = 0
    }

    public func append(_ bytes: UnsafeRawBufferPointer) {
        memory.ensure()
        ensureSpace(bytes.count)
        (memory.base + end).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        end += bytes.count
    }

    public enum ReadResult {
        case bytes(Int)
        case eof
        case wouldBlock
        case failed(Int32)
    }

    /// One read() into the free space, growing the buffer up to `maxCapacity` when full.
    public func read(from fd: Int32, maxCapacity: Int) -> ReadResult {
        memory.ensure()
        if start > 0 && end == capacity { compact() }
        if end == capacity {
            guard capacity < maxCapacity else { return .bytes(0) }
            grow(to: min(maxCapacity, capacity * 2))
        }
        let n = Glibc.read(fd, memory.base + end, capacity - end)
        if n > 0 {
            end += n
            return .bytes(n)
        }
        if n == 0 { return .eof }
        let e = gw_errno()
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { return .wouldBlock }
        return .failed(e)
    }

    /// Like `read(from:maxCapacity:)`, through `reader` (a TLS stream, say), which fills the free
    /// space it is given and says what happened.
    public func read(maxCapacity: Int, using reader: (UnsafeMutableRawBufferPointer) -> ReadResult) -> ReadResult {
        memory.ensure()
        if start > 0 && end == capacity { compact() }
        if end == capacity {
            guard capacity < maxCapacity else { return .bytes(0) }
            grow(to: min(maxCapacity, capacity * 2))
        }
        let result = reader(UnsafeMutableRawBufferPointer(start: memory.base + end, count: capacity - end))
        if case .bytes(let n) = result {
            precondition(n > 0 && n <= capacity - end, "a reader reported \(n) bytes")
            end += n
        }
        return result
    }

    /// Free space at the tail right now.
    public var freeSpace: Int { capacity - end + start }

    private func ensureSpace(_ n: Int) {
        if capacity - end >= n { return }
        compact()
        if capacity - end >= n { return }
        var newCapacity = capacity
        while newCapacity - end < n { newCapacity *= 2 }
        grow(to: newCapacity)
    }

    private func compact() {
        guard start > 0 else { return }
        let n = end - start
        if n > 0 { memory.base.copyMemory(from: memory.base + start, byteCount: n) }
        start = 0
        end = n
    }

    private func grow(to newCapacity: Int) {
        compact()
        memory.grow(to: newCapacity, keeping: end)
    }
}
