// A listening socket on one loop: accepts until the backlog is empty and hands each fd over.
import Dispatch
import Glibc

/// Thread-safety: `@unchecked Sendable` because it is touched only on its loop's queue after start.
public final class Listener: @unchecked Sendable {
    public let loop: EventLoop
    public let fd: Int32
    public let address: SocketAddress
    private var source: DispatchSourceRead?
    /// At most this many accepts per readable event, so one busy listener cannot starve its loop.
    private static let acceptBatch = 64
    /// Out of file descriptors, accepting waits this long: the backlog stays readable, and
    /// retrying at once would spin the loop (and the log) until some fd is closed.
    static let fileLimitPause: DispatchTimeInterval = .milliseconds(250)
    private var paused = false
    private var lastReport: UInt64 = 0
    private var unreported = 0

    public init(loop: EventLoop, fd: Int32, address: SocketAddress) {
        self.loop = loop
        self.fd = fd
        self.address = address
    }

    /// Starts accepting. `onAccept` and `onError` run on the loop's queue. `onError` hears of
    /// running out of file descriptors at most once a second, with how many failures it stands for.
    public func start(
        onAccept: @escaping (Int32, SocketAddress) -> Void, onError: @escaping (SystemError, Int) -> Void
    ) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
        let fd = self.fd
        source.setEventHandler { [unowned self] in
            for _ in 0..<Self.acceptBatch {
                switch Socket.accept(fd) {
                case .accepted(let client, let peer): onAccept(client, peer)
                case .wouldBlock: return
                case .failed(let error):
                    if Self.isResourceShortage(error.errno) {
                        pauseAccepting()
                        unreported += 1
                        let now = MonotonicClock.now()
                        guard now &- lastReport >= 1_000_000_000 else { return }
                        lastReport = now
                        onError(error, unreported)
                        unreported = 0
                    } else {
                        onError(error, 1)
                    }
                    return
                }
            }
        }
        source.setCancelHandler { Socket.close(fd) }
        source.resume()
        self.source = source
    }

    /// EMFILE, ENFILE and the kernel's own memory shortages pass only once something is freed.
    static func isResourceShortage(_ errno: Int32) -> Bool {
        errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM
    }

    private func pauseAccepting() {
        guard let source, !paused else { return }
        paused = true
        source.suspend()
        loop.schedule(after: Self.fileLimitPause) { [self] in
            guard paused, let source = self.source else { return }
            paused = false
            source.resume()
        }
    }

    /// Stops accepting and closes the socket. Call on the loop's queue.
    public func stop() {
        guard let source else { return }
        // A suspended source must be resumed before it is cancelled, or it is never released.
        if paused {
            paused = false
            source.resume()
        }
        source.cancel()
        self.source = nil
    }
}
