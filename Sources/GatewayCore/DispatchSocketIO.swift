// The `dispatch` backend: a socket's own read and write Dispatch sources, created once and
// suspended or resumed as needed.
import Dispatch

/// Owns one non-blocking fd and its two sources. The fd is closed once both sources are cancelled.
///
/// Thread-safety: `@unchecked Sendable` because it is touched only on its loop's queue.
public final class DispatchSocketIO: SocketIO, @unchecked Sendable {
    public let fd: Int32
    private let readSource: DispatchSourceRead
    private let writeSource: DispatchSourceWrite
    private var readResumed = false
    private var writeResumed = false
    public private(set) var isClosed = false
    private var pendingCancels = 2
    private let queue: DispatchQueue

    /// `onReadable` and `onWritable` run on `queue`. They are released when the socket closes.
    public init(fd: Int32, queue: DispatchQueue, onReadable: @escaping () -> Void, onWritable: @escaping () -> Void) {
        self.fd = fd
        self.queue = queue
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        readSource.setEventHandler(handler: onReadable)
        writeSource.setEventHandler(handler: onWritable)
        let closeWhenBothCancelled: () -> Void = { [self] in
            pendingCancels -= 1
            if pendingCancels == 0 { Socket.close(fd) }
        }
        readSource.setCancelHandler(handler: closeWhenBothCancelled)
        writeSource.setCancelHandler(handler: closeWhenBothCancelled)
    }

    /// Turns read events on or off.
    public func wantRead(_ on: Bool) {
        guard !isClosed, on != readResumed else { return }
        readResumed = on
        if on { readSource.resume() } else { readSource.suspend() }
    }

    /// Turns write events on or off.
    public func wantWrite(_ on: Bool) {
        guard !isClosed, on != writeResumed else { return }
        writeResumed = on
        if on { writeSource.resume() } else { writeSource.suspend() }
    }

    public var isReading: Bool { readResumed }

    /// A later turn of the queue: every source event is a turn of its own here.
    public func afterBatch(_ work: AfterBatchWork) {
        queue.async { [weak work] in work?.runAfterBatch() }
    }

    /// Cancels both sources; the fd closes after their cancel handlers run.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        readSource.cancel()
        writeSource.cancel()
        // A suspended (or never activated) source runs its cancel handler only once resumed.
        if !readResumed { readSource.resume() }
        if !writeResumed { writeSource.resume() }
    }
}
