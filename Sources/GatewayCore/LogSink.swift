// Where log lines go: a file descriptor written from a background queue, never from a loop.
import Dispatch
import Glibc
import Synchronization

/// Collects lines from any thread and writes them in batches on its own queue, so a slow
/// terminal or pipe never blocks an event loop.
public final class LogSink: Sendable {
    private let fd: Int32
    private let ownsFD: Bool
    private let state = Mutex<State>(State())
    private let queue = DispatchQueue(label: "gateway.log")
    /// Past this many queued bytes, new lines are dropped (and counted) instead of growing memory.
    private static let maxQueued = 4 * 1024 * 1024

    private struct State {
        var buffer: [UInt8] = []
        var flushScheduled = false
        var dropped = 0
    }

    public static let standardOutput = LogSink(fd: 1, ownsFD: false)
    public static let standardError = LogSink(fd: 2, ownsFD: false)

    init(fd: Int32, ownsFD: Bool) {
        self.fd = fd
        self.ownsFD = ownsFD
    }

    /// Opens (creating or appending) a log file.
    public static func file(_ path: String) throws -> LogSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open \(path)") }
        return LogSink(fd: fd, ownsFD: true)
    }

    deinit {
        if ownsFD { Glibc.close(fd) }
    }

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
                if s.flushScheduled { return false }
                s.flushScheduled = true
                return true
            }
        }
        if schedule { queue.async { self.flush() } }
    }

    /// Queues whole lines, newlines included (a loop's batch of access-log lines).
    public func write(lines: UnsafeRawBufferPointer) {
        let schedule: Bool = state.withLock { s in
            if s.buffer.count + lines.count > Self.maxQueued {
                s.dropped += 1
                return false
            }
            s.buffer.append(contentsOf: lines)
            if s.flushScheduled { return false }
            s.flushScheduled = true
            return true
        }
        if schedule { queue.async { self.flush() } }
    }

    /// Writes everything queued now, on the caller's thread (used at exit).
    public func flushNow() {
        queue.sync { flush() }
    }

    private func flush() {
        let bytes = state.withLock { s -> [UInt8] in
            s.flushScheduled = false
            let b = s.buffer
            s.buffer.removeAll(keepingCapacity: true)
            return b
        }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
