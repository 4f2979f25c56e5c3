// After a checked 101 Switching Protocols (WebSocket), the client's socket and the upstream's
// become a byte tunnel, bounded by its own idle timeout, send_timeout both ways, and on
// protected locations by the session it was opened with. It takes over both sockets' events.
import GatewayCore
import GatewayHTTP

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class TunnelRelay: ClientTransportHandler, UpstreamConnectionDelegate, LoopTickable, @unchecked Sendable {
    private let context: LoopContext
    private let client: ClientTransport
    private let upstream: UpstreamConnection
    private let session: SessionToken?
    private let peerHost: String
    private var timers: TunnelTimers
    private var upstreamPaused = false
    /// The upstream hung up: the client gets what is queued, then the close.
    private var closeWhenFlushed = false
    private var closed = false

    /// The 101's head is already queued for the client.
    init(context: LoopContext, client: ClientTransport, upstream: UpstreamConnection, session: SessionToken?, peerHost: String) {
        self.context = context
        self.client = client
        self.upstream = upstream
        self.session = session
        self.peerHost = peerHost
        timers = TunnelTimers(
            now: MonotonicClock.now(), idleTimeout: context.shared.tunnelIdleTimeout,
            sendTimeout: context.shared.sendTimeout, checksSession: session != nil, queuedForClient: client.output.pending)
    }

    /// Takes over both sockets; bytes already buffered on either side go through.
    func start() {
        client.handler = self
        upstream.delegate = self
        context.loop.register(self)
        client.wantRead(true)
        // From here the tunnel's own clocks run (tick), not the upstream's read timeout.
        upstream.startTunnel()
        upstreamBytes()
        if !client.input.isEmpty { clientBytes() }
    }

    // MARK: Client side

    func clientReadable() {
        switch client.read() {
        case .bytes(let n):
            if client.linger != nil {
                if client.lingerRead(n) { close() }
                return
            }
            clientBytes()
        case .full, .nothing: break
        case .ended, .plaintextOnTLSPort: close()
        }
    }

    func clientWritable() { flushClient() }

    /// Client to upstream.
    private func clientBytes() {
        guard !closed else { return }
        if !client.input.isEmpty { timers.noteActivity() }
        upstream.send(client.input.readable)
        client.input.removeAll()
        // Decide after the flush: one that empties the queue arms no write event to resume us.
        upstream.flush()
        guard !closed else { return }
        client.wantRead(upstream.output.pending < ClientTransport.highWater)
    }

    /// Upstream to client.
    private func upstreamBytes() {
        guard !closed else { return }
        let count = upstream.input.count
        if count > 0 { timers.noteQueuedForClient(count) }
        client.output.append(upstream.input.readable)
        upstream.input.removeAll()
        flushClient()
        if !closed && client.output.pending >= ClientTransport.highWater && !upstreamPaused {
            upstreamPaused = true
            upstream.pauseReading(true)
        }
    }

    private func flushClient() {
        switch client.flush() {
        case .failed: return close()
        case .drained where closeWhenFlushed:
            // The upstream is gone and the client has what it sent: close (staged if it is
            // still sending, so an RST does not destroy the last bytes).
            if !client.stageClose(inputUnread: false) { close() }
            return
        case .drained, .pending: break
        }
        if upstreamPaused && client.output.pending < ClientTransport.lowWater {
            upstreamPaused = false
            upstream.pauseReading(false)
            upstreamBytes()
        }
    }

    // MARK: Upstream side

    func upstreamTunnelReadable(_ upstream: UpstreamConnection) { upstreamBytes() }

    func upstreamDrained(_ upstream: UpstreamConnection) {
        client.wantRead(true)
        if !client.input.isEmpty { clientBytes() }
    }

    /// The upstream hung up: what it sent reaches the client, then the client is closed.
    func upstreamClosed(_ upstream: UpstreamConnection, error: UpstreamError?) {
        guard !closed, !closeWhenFlushed else { return }
        closeWhenFlushed = true
        client.wantRead(false)
        flushClient()
    }

    func upstreamConnected(_ upstream: UpstreamConnection) {}
    func upstreamResponseHead(_ upstream: UpstreamConnection, _ head: HTTPResponseHead) {}
    func upstreamCanTakeBody(_ upstream: UpstreamConnection) -> Bool { false }
    func upstreamResponseBody(_ upstream: UpstreamConnection, _ bytes: UnsafeRawBufferPointer) {}
    func upstreamResponseBodyWaiting(_ upstream: UpstreamConnection) {}
    func upstreamResponseComplete(_ upstream: UpstreamConnection, reusable: Bool) {}
    func upstreamResponseInvalid(_ upstream: UpstreamConnection, _ problem: UpstreamResponseProblem) {}

    // MARK: Clocks

    /// The upstream side's send_timeout is the upstream connection's own deadline; everything
    /// else is timed here.
    func tick(now: UInt64) {
        switch client.expired(now: now) {
        case .sendTimedOut:
            context.shared.errorLog.info(
                "client send timed out",
                metadata: ["client": .string(peerHost), "pending": .string(String(client.output.pending))])
            client.reset()
            return close()
        case .lingerOver: return close()
        case nil: break
        }
        guard !closeWhenFlushed else { return }
        switch timers.tick(now: now, clientPending: client.output.pending) {
        case .none: break
        case .closeIdle: close(reason: "no bytes either way for tunnel_idle_timeout")
        case .closeClientStalled: close(reason: "the client took no bytes for send_timeout")
        case .checkSession: checkSession()
        }
    }

    /// Re-loads the session the tunnel was opened with; a deleted or expired one closes it.
    /// A store that does not answer leaves the tunnel open until the next check: the same
    /// outage already refuses every new request, and dropping every WebSocket at once on a
    /// store hiccup would be worse.
    private func checkSession() {
        guard let gate = context.gate, let session else { return }
        gate.recheck(session) { [self] result in
            guard !closed else { return }
            switch result {
            case .unavailable(let reason):
                context.shared.errorLog.warning(
                    "session store unavailable; the tunnel stays open until the next check",
                    metadata: ["error": .string(reason)])
            case .stands: break
            case .ended: close(reason: "its session ended (signed out or expired)")
            }
        }
    }

    private func close(reason: String) {
        context.shared.errorLog.info(
            "closing a WebSocket tunnel", metadata: ["client": .string(peerHost), "reason": .string(reason)])
        close()
    }

    private func close() {
        guard !closed else { return }
        closed = true
        upstream.close()
        if !client.isClosed { client.close() }  // a reset closed it already
        context.loop.unregister(self)
        context.shared.activeConnections.decrement()
    }
}
