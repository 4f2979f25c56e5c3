// The `epoll` backend's socket half: interest kept in the loop's epoll set, events from its poller.
import CCoreShims

/// Thread-safety: `@unchecked Sendable` because it is touched only on its loop's queue.
final class EpollSocketIO: SocketIO, @unchecked Sendable {
    let fd: Int32
    let generation: UInt32
    private unowned let poller: EpollPoller
    private var onReadable: (() -> Void)?
    private var onWritable: (() -> Void)?
    private var reading = false
    private var writing = false
    private var registered = false
    private(set) var isClosed = false

    init(fd: Int32, generation: UInt32, poller: EpollPoller, onReadable: @escaping () -> Void, onWritable: @escaping () -> Void) {
        self.fd = fd
        self.generation = generation
        self.poller = poller
        self.onReadable = onReadable
        self.onWritable = onWritable
    }

    func wantRead(_ on: Bool) {
        guard !isClosed, on != reading else { return }
        reading = on
        registered = poller.update(self, read: reading, write: writing, registered: registered)
    }

    func wantWrite(_ on: Bool) {
        guard !isClosed, on != writing else { return }
        writing = on
        registered = poller.update(self, read: reading, write: writing, registered: registered)
    }

    /// Level-triggered: a handler that leaves data unread is called again on the next batch.
    func deliver(_ events: UInt32) {
        let failed = events & (GW_EPOLLERR | GW_EPOLLHUP) != 0
        if writing && (events & GW_EPOLLOUT != 0 || failed) {
            onWritable?()
        }
        if reading && !isClosed && (events & (GW_EPOLLIN | GW_EPOLLRDHUP) != 0 || failed) {
            onReadable?()
        }
    }

    func afterBatch(_ work: AfterBatchWork) {
        poller.afterBatch(work)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        poller.remove(self, registered: registered)
        registered = false
        // Drop the handlers: they hold the connection, which holds this object.
        onReadable = nil
        onWritable = nil
        Socket.close(fd)
    }
}
