// The client's socket: its read buffer and write queue, TLS on a `listen ... tls`, the send
// timeout, and the staged close that keeps an answer from being destroyed by an RST. It knows
// bytes, not HTTP.
import GatewayCore
import GatewayTLS

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
        /// The client hung up, the socket failed, or the TLS handshake did.
        case ended
        case nothing
        /// Plain HTTP on a TLS port: the connection answers 400 in the clear and closes.
        case plaintextOnTLSPort
    }

    enum FlushOutcome { case drained, pending, failed }

    /// Both take a block of the loop's pool when bytes come and give it back between requests.
    let input: ReadBuffer
    let output: WriteQueue
    private(set) var io: SocketIO!
    private let readCapacity: Int
    /// A reload may change it between requests.
    var sendTimeout: UInt64
    /// `send_timeout`: it runs whenever bytes wait for the client and none move.
    private(set) var sendDeadline: UInt64 = .max
    /// Set while the close is staged: write side shut, input read and dropped.
    private(set) var linger: LingeringClose?
    unowned var handler: ClientTransportHandler
    private let loop: EventLoop
    /// A TLS listener's context, until the first bytes are looked at.
    private var probing: TLSServerContext?
    private var tls: TLSChannel?
    private var readScheduled = false

    init(
        loop: EventLoop, fd: Int32, tls: TLSServerContext?, readCapacity: Int, sendTimeout: UInt64,
        handler: ClientTransportHandler
    ) {
        self.loop = loop
        input = ReadBuffer(capacity: loop.buffers.blockSize, pool: loop.buffers)
        output = WriteQueue(capacity: loop.buffers.blockSize, pool: loop.buffers)
        self.readCapacity = readCapacity
        self.sendTimeout = sendTimeout
        self.handler = handler
        probing = tls
        io = loop.makeSocketIO(
            fd: fd,
            onReadable: { [unowned self] in
                if let tls = self.tls, tls.writeWantsRead {
                    tls.writeWantsRead = false
                    self.handler.clientWritable()
                }
                self.handler.clientReadable()
            },
            onWritable: { [unowned self] in
                if let tls = self.tls, tls.readWantsWrite {
                    tls.readWantsWrite = false
                    self.handler.clientReadable()
                }
                self.handler.clientWritable()
            })
    }

    var isClosed: Bool { io.isClosed }

    /// Whether the client talks TLS to the gateway (`X-Forwarded-Proto: https`).
    var isTLS: Bool { tls != nil || probing != nil }

    /// Reading on or off. Bytes OpenSSL already decrypted are not signalled by the socket again,
    /// so turning reading on with some buffered schedules a read.
    func wantRead(_ on: Bool) {
        io.wantRead(on)
        guard on, let tls, tls.hasBufferedInput, !readScheduled else { return }
        readScheduled = true
        loop.execute { [self] in
            readScheduled = false
            if !isClosed { handler.clientReadable() }
        }
    }

    func read() -> ReadOutcome {
        if let context = probing {
            switch ClientTLS.probe(fd: io.fd, context: context) {
            case .tls(let channel):
                probing = nil
                tls = channel
            case .waiting:
                io.wantRead(false)  // `tick` looks again
                return .nothing
            case .plaintext:
                probing = nil  // the 400 goes out in the clear
                return .plaintextOnTLSPort
            case .refused: return .ended
            }
        }
        switch input.read(from: io.fd, tls: tls, maxCapacity: readCapacity) {
        case .bytes(0):
            io.wantRead(false)
            return .full
        case .bytes(let n):
            if let tls, tls.hasBufferedInput {
                // A TLS record held more than the buffer took: read on, as the socket will not say so.
                wantRead(true)
            } else if tls?.writeWantsRead == true {
                io.wantRead(true)
            }
            return .bytes(n)
        case .eof, .failed: return .ended
        case .wouldBlock:
            if tls?.readWantsWrite == true { io.wantWrite(true) }
            return .nothing
        }
    }

    /// Between requests, with nothing buffered either way: the buffers go back to the pool, so
    /// an idle keep-alive connection holds none.
    func releaseIdleBuffers() {
        input.releaseStorage()
        output.releaseStorage()
    }

    /// A client that sent too little to tell TLS from plain HTTP: look again (each tick).
    func probeAgain() {
        if probing != nil { io.wantRead(true) }
    }

    /// Writes what the client takes; the send timeout restarts whenever bytes move.
    func flush() -> FlushOutcome {
        let before = output.pending
        let result = output.flush(to: io.fd, tls: tls)
        if tls?.writeWantsRead == true { io.wantRead(true) }
        switch result {
        case .drained:
            io.wantWrite(false)
            sendDeadline = .max
            return .drained
        case .pending:
            // A TLS write waiting for the peer's handshake bytes waits for readability, not this.
            io.wantWrite(tls?.writeWantsRead != true)
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
        tls?.sendCloseNotify()
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
        tls = nil  // no close_notify to a client that stopped reading
        Socket.resetOnClose(io.fd)
        close()
    }

    func close() {
        if linger == nil { tls?.sendCloseNotify() }
        linger = nil
        sendDeadline = .max
        io.close()
    }
}
