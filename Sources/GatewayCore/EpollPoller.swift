// The `epoll` backend's loop half: one epoll set per loop, watched by a single Dispatch read source.
import CCoreShims
import Dispatch
import Glibc

/// Every socket of a loop registers here; one Dispatch event drains every ready socket.
///
/// Why: with a Dispatch source per socket, libdispatch's manager thread hands each event to a
/// worker thread, so every readiness costs a thread wake-up. One source over the epoll set
/// costs one hand-off per batch, and the loop's queue then runs the whole batch.
///
/// Thread-safety: `@unchecked Sendable` because it is touched only on its loop's queue.
final class EpollPoller: @unchecked Sendable {
    private let epfd: Int32
    private var source: DispatchSourceRead?
    /// Registered sockets by fd; the generation in each event's data guards against fd reuse.
    private var sockets: [EpollSocketIO?] = []
    private var generation: UInt32 = 0
    private var readyEvents = [UInt32](repeating: 0, count: 256)
    private var readyData = [UInt64](repeating: 0, count: 256)
    /// At most this many epoll_wait batches per Dispatch event, so timers and accepts get a turn.
    private static let batchesPerEvent = 4

    init(queue: DispatchQueue) {
        epfd = gw_epoll_create()
        precondition(epfd >= 0, "epoll_create1 failed: \(SystemError("epoll_create1"))")
        let source = DispatchSource.makeReadSource(fileDescriptor: epfd, queue: queue)
        source.setEventHandler { [unowned self] in self.drain() }
        source.resume()
        self.source = source
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

    private func drain() {
        for _ in 0..<Self.batchesPerEvent {
            let n = readyEvents.withUnsafeMutableBufferPointer { ev in
                readyData.withUnsafeMutableBufferPointer { data in
                    gw_epoll_wait(epfd, ev.baseAddress, data.baseAddress, Int32(ev.count), 0)
                }
            }
            if n <= 0 { return }
            for i in 0..<Int(n) {
                let data = readyData[i]
                let fd = Int(UInt32(truncatingIfNeeded: data))
                let generation = UInt32(truncatingIfNeeded: data >> 32)
                guard fd < sockets.count, let io = sockets[fd], io.generation == generation else { continue }
                io.deliver(readyEvents[i])
            }
            if Int(n) < readyEvents.count { return }
        }
    }
}
