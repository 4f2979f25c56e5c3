// Bytes waiting to be written to a socket: written at once when possible, queued otherwise.
import CCoreShims
import Glibc

/// With a `pool`, the storage is taken from it by the first append and can be given back
/// while the queue is empty (`releaseStorage()`), like `ReadBuffer`'s.
///
/// Thread-safety: owned by one connection on one loop.
public final class WriteQueue {
    private var memory: BufferStorage
    private var capacity: Int { memory.capacity }
    private var start = 0
    private var end = 0

    public init(capacity: Int = 16 * 1024, pool: BufferPool? = nil) {
        memory = BufferStorage(capacity: capacity, pool: pool)
    }

    deinit { memory.free() }

    /// Gives the storage back to the pool; the next append takes it again. Only while
    /// empty, and only with a pool (without one it keeps its storage).
    public func releaseStorage() {
        guard start == end, memory.release() else { return }
        start = 0
        end = 0
    }

    /// Whether storage is held now (for tests and the memory figures).
    public var holdsStorage: Bool { memory.isHeld }

    /// Bytes queued and not yet written.
    public var pending: Int { end - start }
    public var isEmpty: Bool { end == start }

    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count)
        (memory.base + end).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        end += bytes.count
    }

    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public func removeAll() {
        start = 0
        end = 0
    }

    public enum FlushResult: Equatable {
        /// Everything was written.
        case drained
        /// The socket would block with bytes still queued: wait for writability.
        case pending
        case failed(Int32)
    }

    /// Writes as much as the socket takes.
    public func flush(to fd: Int32) -> FlushResult {
        while start < end {
            let n = send(fd, memory.base + start, end - start, Int32(MSG_NOSIGNAL))
            if n > 0 {
                start += n
                continue
            }
            let e = gw_errno()
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .pending }
            return .failed(e)
        }
        start = 0
        end = 0
        return .drained
    }

    /// What one write through a `flush(using:)` writer did.
    public enum WriteStep {
        case wrote(Int)
        case wouldBlock
        case failed(Int32)
    }

    /// Like `flush(to:)`, through `writer` (a TLS stream, say). A writer that would block is
    /// given the same bytes (or more) again next time.
    public func flush(using writer: (UnsafeRawBufferPointer) -> WriteStep) -> FlushResult {
        while start < end {
            switch writer(UnsafeRawBufferPointer(start: memory.base + start, count: end - start)) {
            case .wrote(let n):
                precondition(n > 0 && n <= end - start, "a writer reported \(n) bytes")
                start += n
            case .wouldBlock: return .pending
            case .failed(let e): return .failed(e)
            }
        }
        start = 0
        end = 0
        return .drained
    }

    private func reserve(_ n: Int) {
        memory.ensure()
        if capacity - end >= n { return }
        if start > 0 {
            let live = end - start
            if live > 0 { memory.base.copyMemory(from: memory.base + start, byteCount: live) }
            start = 0
            end = live
            if capacity - end >= n { return }
        }
        var newCapacity = capacity
        while newCapacity - end < n { newCapacity *= 2 }
        memory.grow(to: newCapacity, keeping: end)
    }
}
