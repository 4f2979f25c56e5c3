// The `epoll` backend's waiting half: a thread per loop that sleeps in epoll_wait itself.
import CCoreShims
import Dispatch
import Glibc

/// Waits on a loop's epoll set and runs each ready batch on the loop's queue with `queue.sync`.
///
/// Why: with the epoll set behind a Dispatch read source, every batch cost two thread wake-ups
/// (libdispatch's manager thread saw the set readable, then woke a worker to drain the queue) and
/// the loop moved between pool threads. A serial queue's `sync` from an idle queue runs the block
/// on the calling thread, still exclusive with everything else on the queue (timers, accepts,
/// `execute`), so a batch now costs the one wake-up nginx pays: the kernel waking this thread.
///
/// Thread-safety: `@unchecked Sendable`: the fds are immutable and only this thread closes them;
/// `poller` is weak and used only inside `queue.sync`.
final class EpollWaiter: @unchecked Sendable {
    private let epfd: Int32
    private let wakeFD: Int32
    private let queue: DispatchQueue
    private weak var poller: EpollPoller?
    private var readyEvents = [UInt32](repeating: 0, count: 256)
    private var readyData = [UInt64](repeating: 0, count: 256)
    /// The wake fd's event data: no socket's (a socket's low half is its fd, below 2^31).
    static let wakeData = UInt64.max

    /// Registers `wakeFD` in `epfd` and starts the thread; the thread closes both fds when it ends.
    static func start(epfd: Int32, wakeFD: Int32, queue: DispatchQueue, poller: EpollPoller, name: String) {
        let rc = gw_epoll_ctl(epfd, GW_EPOLL_CTL_ADD, wakeFD, GW_EPOLLIN, wakeData)
        precondition(rc == 0, "epoll_ctl ADD of the wake fd failed: \(SystemError("epoll_ctl"))")
        let waiter = EpollWaiter(epfd: epfd, wakeFD: wakeFD, queue: queue, poller: poller)
        let context = Unmanaged.passRetained(waiter).toOpaque()
        let started = gw_start_thread(String(name.prefix(15)), { raw in
            Unmanaged<EpollWaiter>.fromOpaque(raw!).takeRetainedValue().run()
        }, context)
        precondition(started == 0, "cannot start the loop's epoll thread: \(String(cString: strerror(started)))")
    }

    private init(epfd: Int32, wakeFD: Int32, queue: DispatchQueue, poller: EpollPoller) {
        self.epfd = epfd
        self.wakeFD = wakeFD
        self.queue = queue
        self.poller = poller
    }

    /// Until the poller is gone (its deinit signals `wakeFD`): wait, then deliver on the queue.
    private func run() {
        while true {
            let n = readyEvents.withUnsafeMutableBufferPointer { ev in
                readyData.withUnsafeMutableBufferPointer { data in
                    gw_epoll_wait(epfd, ev.baseAddress, data.baseAddress, Int32(ev.count), -1)
                }
            }
            if n < 0 {
                if gw_errno() == EINTR { continue }
                preconditionFailure("epoll_wait failed: \(SystemError("epoll_wait"))")
            }
            guard let poller else { break }
            queue.sync { poller.deliver(events: readyEvents, data: readyData, count: Int(n)) }
        }
        Glibc.close(wakeFD)
        Glibc.close(epfd)
    }
}
