// The `epoll` backend's loop half: one epoll set per loop, waited on by the loop's EpollWaiter.
import CCoreShims
import Dispatch
import Glibc

/// Every socket of a loop registers here; each ready batch is delivered on the loop's queue.
///
/// Why: with a Dispatch source per socket, libdispatch's manager thread hands each event to a
/// worker thread, so every readiness costs a thread wake-up. One epoll set per loop, waited on
/// by its own thread (`EpollWaiter`), costs one wake-up per batch.
///
/// Thread-safety: `@unchecked Sendable` because it is touched only on its loop's queue.
final class EpollPoller: @unchecked Sendable {
    private let epfd: Int32
    private let wakeFD: Int32
    /// Registered sockets by fd; the generation in each event's data guards against fd reuse
    /// (the waiter collects a batch off the queue, so a socket may close before it is delivered).
    private var sockets: [EpollSocketIO?] = []
    private var generation: UInt32 = 0
    private let queue: DispatchQueue
    /// True while `deliver` runs a batch.
    private var delivering = false
    /// What the batch's handlers asked to run once it is done (`afterBatch`).
    private var batchEnd: [AfterBatchWork] = []

    init(queue: DispatchQueue, name: String) {
        self.queue = queue
        epfd = gw_epoll_create()
        precondition(epfd >= 0, "epoll_create1 failed: \(SystemError("epoll_create1"))")
        wakeFD = gw_eventfd()
        precondition(wakeFD >= 0, "eventfd failed: \(SystemError("eventfd"))")
        EpollWaiter.start(epfd: epfd, wakeFD: wakeFD, queue: queue, poller: self, name: name)
    }

    /// Ends the waiter's thread, which closes the epoll set and the wake fd.
    deinit {
        gw_eventfd_signal(wakeFD)
    }

    func makeSocket(fd: Int32, onReadable: @escaping () -> Void, onWritable: @escaping () -> Void) -> EpollSocketIO {
        generation &+= 1
        let io = EpollSocketIO(fd: fd, generation: generation, poller: self, onReadable: onReadable, onWritable: onWritable)
        let index = Int(fd)
        if index >= sockets.count { sockets.append(contentsOf: repeatElement(nil, count: index + 1 - sockets.count + 64)) }
        sockets[index] = io
        return io
    }

    /// Applies an interest change: ADD, MOD, or DEL when nothing is wanted (a socket with no
    /// interest must leave the set, or its hang-up would be reported again and again).
    func update(_ io: EpollSocketIO, read: Bool, write: Bool, registered: Bool) -> Bool {
        if !read && !write {
            if registered { _ = gw_epoll_ctl(epfd, GW_EPOLL_CTL_DEL, io.fd, 0, 0) }
            return false
        }
        let events = (read ? GW_EPOLLIN | GW_EPOLLRDHUP : 0) | (write ? GW_EPOLLOUT : 0)
        let data = UInt64(io.generation) << 32 | UInt64(UInt32(bitPattern: io.fd))
        let rc = gw_epoll_ctl(epfd, registered ? GW_EPOLL_CTL_MOD : GW_EPOLL_CTL_ADD, io.fd, events, data)
        precondition(rc == 0 || !registered, "epoll_ctl MOD failed: \(SystemError("epoll_ctl"))")
        return rc == 0
    }

    func remove(_ io: EpollSocketIO, registered: Bool) {
        if registered { _ = gw_epoll_ctl(epfd, GW_EPOLL_CTL_DEL, io.fd, 0, 0) }
        let index = Int(io.fd)
        if index < sockets.count, sockets[index] === io { sockets[index] = nil }
    }

    /// One batch from the waiter, on the loop's queue. Level-triggered: a handler that leaves
    /// data unread is called again with the next batch.
    func deliver(events: [UInt32], data: [UInt64], count: Int) {
        delivering = true
        defer { delivering = false }
        for i in 0..<count {
            let data = data[i]
            let fd = Int(UInt32(truncatingIfNeeded: data))
            let generation = UInt32(truncatingIfNeeded: data >> 32)
            guard fd < sockets.count, let io = sockets[fd], io.generation == generation else { continue }
            io.deliver(events[i])
        }
        // Work queued by work that ran here runs too: the loop reads `count` afresh each time.
        // By index, and emptied only at the end, so the array keeps its buffer from batch to batch.
        var next = 0
        while next < batchEnd.count {
            let work = batchEnd[next]
            next += 1
            work.runAfterBatch()
        }
        batchEnd.removeAll(keepingCapacity: true)
    }

    /// Runs `work` at the end of the batch being delivered, on this thread and still inside the
    /// queue, instead of a later `queue.async` turn (which wakes a pool thread, and makes the next
    /// batch's `queue.sync` wait for it). Outside a batch (a timer, an `execute` block) it is
    /// such a later turn.
    func afterBatch(_ work: AfterBatchWork) {
        if delivering {
            batchEnd.append(work)
        } else {
            queue.async { [weak work] in work?.runAfterBatch() }
        }
    }
}
