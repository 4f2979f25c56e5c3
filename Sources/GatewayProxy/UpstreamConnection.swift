// One TCP connection to an upstream server: connect, send, receive, and idle in the pool.
import GatewayCore
import GatewayHTTP
import GatewayTLS
import Glibc

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class UpstreamConnection: LoopTickable, @unchecked Sendable {
    enum State { case connecting, active, idle, closed }

    let upstreamIndex: Int
    let serverIndex: Int
    let target: UpstreamTarget
    private unowned let context: LoopContext
    private var io: SocketIO!
    /// TLS to an `https://` server; the handshake runs inside the first writes and reads.
    private var tls: TLSChannel?
    let input = ReadBuffer(capacity: 64 * 1024)
    let output = WriteQueue()
    private(set) var state: State = .connecting
    weak var delegate: UpstreamConnectionDelegate?
    /// True once it has served a request: a reused connection may have been closed by the
    /// upstream while idle, which makes a retry of idempotent requests safe.
    private(set) var requestsServed = 0
    /// Reads the current response (`UpstreamConnection+Response`).
    var reader = UpstreamResponseReader(requestMethod: .get)
    /// Some bytes of a response arrived for the current request (even an interim head).
    private(set) var responseStarted = false
    private var deadline: UInt64 = .max
    private var deadlineError: UpstreamError = .readTimedOut
    /// The whole request is queued: from now on the read timeout runs.
    private var awaitingResponse = false
    /// A WebSocket tunnel: no read timeout (the tunnel's idle timeout runs on the client side),
    /// only send_timeout while bytes wait for the upstream.
    private(set) var tunneling = false
    /// How long an idle pooled connection is kept.
    static let idleTimeout: UInt64 = 60_000_000_000
    static let readLimit = 256 * 1024

    private init(context: LoopContext, upstreamIndex: Int, serverIndex: Int) {
        self.context = context
        self.upstreamIndex = upstreamIndex
        self.serverIndex = serverIndex
        self.target = context.upstreams[upstreamIndex]
    }

    /// Starts a non-blocking connect. The delegate hears `upstreamConnected` or `upstreamClosed`.
    static func connect(
        context: LoopContext, upstreamIndex: Int, serverIndex: Int, delegate: UpstreamConnectionDelegate
    ) -> Result<UpstreamConnection, UpstreamError> {
        let address = context.upstreams[upstreamIndex].servers[serverIndex]
        let fd: Int32
        var connected = false
        switch Socket.connect(to: address) {
        case .connected(let f):
            fd = f
            connected = true
        case .inProgress(let f): fd = f
        case .failed(let error):
            context.metrics?.upstreamFailed(context.upstreams[upstreamIndex].name, .connectFailed(error))
            return .failure(.connectFailed(error))
        }
        let connection = UpstreamConnection(context: context, upstreamIndex: upstreamIndex, serverIndex: serverIndex)
        if let tls = connection.target.tls[serverIndex] {
            do {
                connection.tls = TLSChannel(try TLSStream(connecting: fd, context: tls.context, serverName: tls.serverName))
            } catch {
                Socket.close(fd)
                return .failure(.tlsFailed("\(error)"))
            }
        }
        connection.delegate = delegate
        connection.io = context.loop.makeSocketIO(
            fd: fd,
            onReadable: { [unowned connection] in connection.onReadable() },
            onWritable: { [unowned connection] in connection.onWritable() })
        context.loop.register(connection)
        if connected {
            connection.state = .active
            connection.io.wantRead(true)
        } else {
            connection.setDeadline(connection.target.connectTimeout, .connectTimedOut)
            connection.io.wantWrite(true)
        }
        return .success(connection)
    }

    var isConnecting: Bool { state == .connecting }

    /// Takes a pooled connection for a new request.
    func activate(delegate: UpstreamConnectionDelegate) {
        precondition(state == .idle, "only an idle connection can be activated")
        self.delegate = delegate
        state = .active
        clearDeadline()
    }

    /// A request goes out on this connection: its response is read from scratch.
    func startRequest(method: HTTPMethodKind) {
        reader = UpstreamResponseReader(requestMethod: method)
        responseStarted = false
    }

    /// Queues bytes and writes what the socket takes now.
    func send(_ bytes: UnsafeRawBufferPointer) {
        output.append(bytes)
    }

    func send(_ bytes: [UInt8]) {
        output.append(bytes)
    }

    /// Writes queued bytes (unless still connecting); arms the write source if some remain.
    func flush() {
        guard state == .active else { return }
        let queued = output.pending
        let result = output.flush(to: io.fd, tls: tls)
        switch result {
        case .drained:
            io.wantWrite(false)
            if deadlineError == .sendTimedOut {
                if tunneling { clearDeadline() } else { setDeadline(target.readTimeout, .readTimedOut) }
            }
        case .pending:
            // A TLS write waiting for the peer's handshake bytes waits for readability, not this.
            io.wantWrite(tls?.writeWantsRead != true)
            // In a tunnel only bytes the upstream took restart the clock: a client trickling
            // bytes in must not keep open an upstream that reads nothing.
            let timing = deadlineError == .sendTimedOut && deadline != .max
            if !tunneling || !timing || output.pending < queued { setDeadline(target.sendTimeout, .sendTimedOut) }
        case .failed(let e):
            fail(tls?.failure.map(UpstreamError.tlsFailed) ?? .io(SystemError("send", errno: e)))
        }
    }

    /// Waiting for the response: the read timeout runs.
    func awaitResponse() {
        awaitingResponse = true
        // While connecting, the connect timeout runs; the read timeout starts once connected.
        if state == .active { setDeadline(target.readTimeout, .readTimedOut) }
    }

    /// The 101 has been checked: from now on only send_timeout bounds this side.
    func startTunnel() {
        tunneling = true
        awaitingResponse = false
        if output.isEmpty { clearDeadline() } else { setDeadline(target.sendTimeout, .sendTimedOut) }
    }

    func pauseReading(_ paused: Bool) {
        guard state == .active else { return }
        io.wantRead(!paused)
        guard !tunneling else { return }
        if paused { clearDeadline() } else { setDeadline(target.readTimeout, .readTimedOut) }
    }

    /// Called by the pool: the connection waits for its next request.
    func becomeIdle() {
        delegate = nil
        requestsServed += 1
        awaitingResponse = false
        state = .idle
        input.removeAll()
        output.removeAll()
        setDeadline(Self.idleTimeout, .readTimedOut)
        // Reading while idle is how a close by the upstream is noticed.
        io.wantRead(true)
        io.wantWrite(false)
    }

    func close() {
        guard state != .closed else { return }
        state = .closed
        delegate = nil
        tls?.sendCloseNotify()
        io.close()
        context.loop.unregister(self)
    }

    // MARK: Events

    private func onWritable() {
        switch state {
        case .connecting:
            let error = Socket.pendingError(io.fd)
            if error != 0 {
                fail(.connectFailed(SystemError("connect \(target.serverNames[serverIndex])", errno: error)))
                return
            }
            state = .active
            if awaitingResponse { setDeadline(target.readTimeout, .readTimedOut) } else { clearDeadline() }
            io.wantRead(true)
            delegate?.upstreamConnected(self)
            flush()
        case .active:
            if let tls, tls.readWantsWrite {
                tls.readWantsWrite = false
                onReadable()
                guard state == .active else { return }
            }
            flush()
            if output.isEmpty, state == .active { delegate?.upstreamDrained(self) }
        case .idle, .closed:
            io.wantWrite(false)
        }
    }

    private func onReadable() {
        if let tls, tls.writeWantsRead {
            tls.writeWantsRead = false
            flush()
            guard state == .active || state == .idle else { return }
        }
        let result = input.read(from: io.fd, tls: tls, maxCapacity: Self.readLimit)
        if let tls, tls.hasBufferedInput, case .bytes = result {
            // A TLS record held more than the buffer took; the socket will not say so again.
            context.loop.execute { [weak self] in
                if let self, self.state == .active || self.state == .idle { self.onReadable() }
            }
        }
        switch result {
        case .bytes(let n):
            if state == .idle {
                // An idle connection has nothing to say; bytes mean a broken peer.
                context.pool.remove(self)
                close()
                return
            }
            if n > 0 && deadline != .max && !tunneling { setDeadline(target.readTimeout, .readTimedOut) }
            if n > 0 { responseStarted = true }
            if tunneling { delegate?.upstreamTunnelReadable(self) } else { readResponse() }
        case .eof:
            if state == .idle {
                context.pool.remove(self)
                close()
                return
            }
            let delegate = self.delegate
            close()
            // A body delimited by the connection's end is complete now.
            if reader.finishAtEOF() {
                delegate?.upstreamResponseComplete(self, reusable: false)
            } else {
                delegate?.upstreamClosed(self, error: nil)
            }
        case .wouldBlock:
            // No application data: a TLS record of its own (a session ticket), or a write first.
            if tls?.readWantsWrite == true { io.wantWrite(true) }
            return
        case .failed(let e):
            if state == .idle {
                context.pool.remove(self)
                close()
                return
            }
            fail(tls?.failure.map(UpstreamError.tlsFailed) ?? .io(SystemError("recv", errno: e)))
        }
    }

    func tick(now: UInt64) {
        guard now >= deadline else { return }
        if state == .idle {
            context.pool.remove(self)
            close()
            return
        }
        fail(deadlineError)
    }

    private func fail(_ error: UpstreamError) {
        let delegate = self.delegate
        close()
        context.metrics?.upstreamFailed(target.name, error)
        delegate?.upstreamClosed(self, error: error)
    }

    private func setDeadline(_ after: UInt64, _ error: UpstreamError) {
        deadline = MonotonicClock.now() &+ after
        deadlineError = error
    }

    private func clearDeadline() {
        deadline = .max
    }
}
