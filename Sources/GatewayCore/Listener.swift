// A listening socket on one loop: accepts until the backlog is empty and hands each fd over.
import Dispatch

/// Thread-safety: `@unchecked Sendable` because it is touched only on its loop's queue after start.
public final class Listener: @unchecked Sendable {
    public let loop: EventLoop
    public let fd: Int32
    public let address: SocketAddress
    private var source: DispatchSourceRead?
    /// At most this many accepts per readable event, so one busy listener cannot starve its loop.
    private static let acceptBatch = 64

    public init(loop: EventLoop, fd: Int32, address: SocketAddress) {
        self.loop = loop
        self.fd = fd
        self.address = address
    }

    /// Starts accepting. `onAccept` and `onError` run on the loop's queue.
    public func start(onAccept: @escaping (Int32, SocketAddress) -> Void, onError: @escaping (SystemError) -> Void) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
        let fd = self.fd
        source.setEventHandler {
            for _ in 0..<Self.acceptBatch {
                switch Socket.accept(fd) {
                case .accepted(let client, let peer): onAccept(client, peer)
                case .wouldBlock: return
                case .failed(let error):
                    onError(error)
                    return
                }
            }
        }
        source.setCancelHandler { Socket.close(fd) }
        source.resume()
        self.source = source
    }

    /// Stops accepting and closes the socket. Call on the loop's queue.
    public func stop() {
        source?.cancel()
        source = nil
    }
}
