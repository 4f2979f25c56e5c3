// Where log lines go: a file descriptor written from a background queue, never from a loop.
import CCoreShims
import Dispatch
import Glibc
import Synchronization

/// Collects lines from any thread and writes them in batches on its own queue, so a slow
/// terminal or pipe never blocks an event loop.
///
/// Lines are never allowed to pile up: past `maxQueued` bytes waiting, and whenever a write
/// fails (a full disk, an I/O error), the lines concerned are dropped and counted in
/// `droppedLines`, and the gateway keeps serving. A file sink can be reopened (`reopen()`, on
/// SIGUSR1 for logrotate): the new file takes the same descriptor number, on the sink's queue,
/// so no write is ever split between the old file and the new one.
public final class LogSink: Sendable {
    private let fd: Int32
    /// The file a `reopen` opens again; nil for standard output and error.
    public let path: String?
    private let state = Mutex<State>(State())
    private let queue = DispatchQueue(label: "gateway.log")
    /// Past this many queued bytes, new lines are dropped (and counted) instead of growing memory.
    private static let maxQueued = 4 * 1024 * 1024

    /// The most a drained buffer keeps for reuse; one that grew past it (a burst) is freed.
    static let spareCapacity = 256 * 1024

    private struct State {
        var buffer: [UInt8] = []
        /// The buffer the last flush wrote, emptied, for the next flush to swap in: lines are
        /// queued into storage that already exists, and a flush never allocates.
        var spare: [UInt8] = []
        var flushScheduled = false
        var dropped = 0
        /// Why the last write failed (errno), until a write succeeds again.
        var failing: Int32 = 0
        /// A failed write left part of a line in the file (a disk that filled mid-write): the
        /// next write starts with a newline, so the fragment does not run into the next line.
        var endsMidLine = false
    }

    public static let standardOutput = LogSink(fd: 1, path: nil)
    public static let standardError = LogSink(fd: 2, path: nil)

    init(fd: Int32, path: String?) {
        self.fd = fd
        self.path = path
    }

    /// Opens (creating or appending) a log file.
    public static func file(_ path: String) throws -> LogSink {
        LogSink(fd: try open(path), path: path)
    }

    private static func open(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open \(path)") }
        return fd
    }

    deinit {
        if path != nil { Glibc.close(fd) }
    }

    /// Lines dropped so far: the queue was full, or a write failed.
    public var droppedLines: Int { state.withLock { $0.dropped } }

    /// The errno of the last failed write, 0 once writes succeed again.
    public var failingErrno: Int32 { state.withLock { $0.failing } }

    /// Queues one line; a newline is added.
    public func write(_ line: String) {
        var line = line
        let schedule: Bool = line.withUTF8 { utf8 in
            state.withLock { s in
                if s.buffer.count + utf8.count > Self.maxQueued {
                    s.dropped += 1
                    return false
                }
                s.buffer.append(contentsOf: utf8)
                s.buffer.append(0x0A)
                return Self.scheduleFlush(&s)
            }
        }
        if schedule { queue.async { self.flush() } }
    }

    /// Queues whole lines, newlines included (a loop's batch of access-log lines).
    public func write(lines: UnsafeRawBufferPointer) {
        let schedule: Bool = state.withLock { s in
            if s.buffer.count + lines.count > Self.maxQueued {
                s.dropped += Self.lineCount(lines)
                return false
            }
            s.buffer.append(contentsOf: lines)
            return Self.scheduleFlush(&s)
        }
        if schedule { queue.async { self.flush() } }
    }

    private static func scheduleFlush(_ s: inout State) -> Bool {
        if s.flushScheduled { return false }
        s.flushScheduled = true
        return true
    }

    /// Writes everything queued now, on the caller's thread (used at exit).
    public func flushNow() {
        queue.sync { flush() }
    }

    /// Opens the file again by its path (after logrotate moved it) and writes on into the new
    /// one; what was queued before goes to the old file first. A standard stream has nothing
    /// to reopen. When the open fails, the old file stays and the error is thrown.
    public func reopen() throws {
        guard let path else { return }
        try queue.sync {
            flush()
            let fresh = try Self.open(path)
            defer { Glibc.close(fresh) }
            guard dup2(fresh, fd) >= 0 else { throw SystemError("dup2 \(path)") }
            state.withLock { $0.endsMidLine = false }
        }
    }

    /// Takes the queued bytes by swapping in the spare buffer, writes them with the lock
    /// released, and keeps their storage as the next spare.
    ///
    /// Why swap and not copy: `let b = buffer; buffer.removeAll(keepingCapacity: true)` made a
    /// new buffer of the old capacity on every flush (the old storage was still shared), and
    /// that capacity crept up a page per flush. Under load that was a fresh mmap and munmap of
    /// tens of MiB per flush, page faults and TLB shootdowns on the loops, and address space
    /// that grew without bound.
    private func flush() {
        var (bytes, cut) = state.withLock { s -> ([UInt8], Bool) in
            s.flushScheduled = false
            var taken: [UInt8] = []
            swap(&taken, &s.spare)
            swap(&taken, &s.buffer)
            return (taken, s.endsMidLine)
        }
        if bytes.isEmpty {
            recycle(&bytes)
            return
        }
        if cut { bytes.insert(0x0A, at: 0) }  // rare: only after a write failed mid-line
        var offset = 0
        var failed: Int32 = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            if n > 0 {
                offset += n
                continue
            }
            let e = n < 0 ? gw_errno() : EIO
            if e == EINTR { continue }
            failed = e
            break
        }
        // The lines not (wholly) written; the newline put in front of them is not one.
        let lost = failed == 0 ? 0 : bytes[offset...].withUnsafeBytes { Self.lineCount($0) } - (cut && offset == 0 ? 1 : 0)
        let endsMidLine = failed != 0 && (offset > 0 ? bytes[offset - 1] != 0x0A : cut)
        recycle(&bytes)
        state.withLock { s in
            s.failing = failed
            s.dropped += lost
            s.endsMidLine = endsMidLine
        }
    }

    /// Keeps a written buffer's storage as the spare, unless a burst made it larger than
    /// `spareCapacity`.
    private func recycle(_ bytes: inout [UInt8]) {
        guard bytes.capacity <= Self.spareCapacity else { return }
        bytes.removeAll(keepingCapacity: true)
        var drained = bytes
        bytes = []
        state.withLock { s in
            if s.spare.capacity < drained.capacity { swap(&s.spare, &drained) }
        }
    }

    /// The capacity of the queue's two buffers (queued lines and the spare), for tests: it
    /// stays bounded however many batches go through.
    var bufferCapacity: Int { state.withLock { $0.buffer.capacity + $0.spare.capacity } }

    /// Newlines in `bytes`: the lines a batch holds (a line cut by a failed write counts once).
    static func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in bytes where byte == 0x0A { count += 1 }
        return count
    }
}
