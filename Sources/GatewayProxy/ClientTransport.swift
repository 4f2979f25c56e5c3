// The client's socket: its read buffer and write queue, the send timeout, and the staged close
// that keeps an answer from being destroyed by an RST. It knows bytes, not HTTP; TLS goes here.
import GatewayCore

/// Who hears the socket's readiness: the client connection, then a tunnel after a 101.
protocol ClientTransportHandler: AnyObject {
    func clientReadable()
    func clientWritable()
}

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class ClientTransport: @unchecked Sendable {
    /// Above this many queued bytes on one side, the other side stops being read.
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    enum ReadOutcome {
        /// `n` new bytes are in `input`.
        case bytes(Int)
        /// The buffer is full: reading stops until it is consumed.
        case full
        /// The client hung up, or the socket failed.
        case ended
        case nothing
    }

    enum FlushOutcome { case drained, pending, failed }

    let input = ReadBuffer(capacity: 16 * 1024)
    let output = WriteQueue()
    private(set) var io: SocketIO!
    private let readCapacity: Int
    /// A reload may change it between requests.
    var sendTimeout: UInt64
    /// `send_timeout`: it runs whenever bytes wait for the client and none move.
    private(set) var sendDeadline: UInt64 = .max
    /// Set while the close is staged: write side shut, input read and dropped.
    private(set) var linger: LingeringClose?
    unowned var handler: ClientTransportHandler

    init(loop: EventLoop, fd: Int32, readCapacity: Int, sendTimeout: UInt64, handler: ClientTransportHandler) {
        self.readCapacity = readCapacity
        self.sendTimeout = sendTimeout
        self.handler = handler
        io = loop.makeSocketIO(
            fd: fd,
            onReadable: { [unowned self] in self.handler.clientReadable() },
            onWritable: { [unowned self] in self.handler.clientWritable() })
    }

    var isClosed: Bool { io.isClosed }

    func wantRead(_ on: Bool) { io.wantRead(on) }

    func read() -> ReadOutcome {
        switch input.read(from: io.fd, maxCapacity: readCapacity) {
        case .bytes(0):
            io.wantRead(false)
            return .full
        case .bytes(let n): return .bytes(n)
        case .eof, .failed: return .ended
        case .wouldBlock: return .nothing
        }
    }

    /// Writes what the client takes; the send timeout restarts whenever bytes move.
    func flush() -> FlushOutcome {
        let before = output.pending
        switch output.flush(to: io.fd) {
        case .drained:
            io.wantWrite(false)
            sendDeadline = .max
            return .drained
        case .pending:
            io.wantWrite(true)
            if output.pending < before || sendDeadline == .max {
                sendDeadline = MonotonicClock.now() &+ sendTimeout
            }
            return .pending
        case .failed:
            return .failed
        }
    }

    /// The last answer is flushed. Nothing unread: false (close now). Otherwise the close is
    /// staged: the write side is shut (the client reads the answer, then EOF) and input is
    /// dropped until it hangs up or a bound is reached.
    func stageClose(inputUnread: Bool) -> Bool {
        if !inputUnread && input.isEmpty && !Socket.hasPendingInput(io.fd) { return false }
        Socket.shutdownWrite(io.fd)
        input.removeAll()
        linger = LingeringClose(now: MonotonicClock.now())
        io.wantWrite(false)
        io.wantRead(true)
        return true
    }

    /// `n` bytes came in while lingering: dropped unread. True when the close is due.
    func lingerRead(_ n: Int) -> Bool {
        guard var l = linger else { preconditionFailure("lingerRead outside the staged close") }
        input.removeAll()
        if l.received(n, now: MonotonicClock.now()) == .close { return true }
        linger = l
        return false
    }

    /// The staged close ran out of time, or no byte moved to the client for `send_timeout`.
    func expired(now: UInt64) -> Expiry? {
        if now >= sendDeadline { return .sendTimedOut }
        if let linger, linger.isExpired(now: now) { return .lingerOver }
        return nil
    }

    enum Expiry { case sendTimedOut, lingerOver }

    /// A client that stopped reading is reset rather than closed: a FIN queued behind the unsent
    /// bytes would keep the kernel's buffers (and a dead peer's socket) alive long after.
    func reset() {
        Socket.resetOnClose(io.fd)
        close()
    }

    func close() {
        linger = nil
        sendDeadline = .max
        io.close()
    }
}
