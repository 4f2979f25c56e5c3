// Readiness events for one non-blocking socket, delivered on its loop's queue.

/// What a connection needs from its event backend: interest in reading and writing, and close.
/// Each backend is one small type in its own file (`DispatchSocketIO`, `EpollSocketIO`).
/// All calls happen on the owning loop's queue.
public protocol SocketIO: AnyObject {
    var fd: Int32 { get }
    var isClosed: Bool { get }
    /// Turns read events on or off.
    func wantRead(_ on: Bool)
    /// Turns write events on or off.
    func wantWrite(_ on: Bool)
    /// Stops events and closes the fd.
    func close()
    /// Calls `work.runAfterBatch()` on the loop's queue once the events being handled now are
    /// all handled: the end of the epoll batch, so that what every event of the batch queued
    /// leaves in one write, on the loop's own thread. Outside a batch (and on the `dispatch`
    /// backend) it runs on a later turn of the queue, if `work` is still alive then.
    func afterBatch(_ work: AfterBatchWork)
}

/// Something to run at the end of a batch of events (`SocketIO.afterBatch`). An object, not a
/// closure: a closure kept in the poller's list is re-wrapped, an allocation per call.
public protocol AfterBatchWork: AnyObject, Sendable {
    func runAfterBatch()
}

/// Makes a `SocketIO` for an fd (taking ownership of it), with its two event handlers.
/// `EventLoop.makeSocketIO` is one; a plain `DispatchSocketIO` on some queue is another.
public typealias SocketIOFactory = (Int32, @escaping () -> Void, @escaping () -> Void) -> SocketIO

/// How a loop learns that its sockets are ready.
public enum EventBackend: String, Sendable, CaseIterable {
    /// One Dispatch read source per loop over the loop's epoll set: one queue hop per batch of events.
    case epoll
    /// A read and a write Dispatch source per socket: one queue hop per event.
    case dispatch
}
