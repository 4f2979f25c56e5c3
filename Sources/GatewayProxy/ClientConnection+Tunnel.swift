// After a checked 101 Switching Protocols (WebSocket), the connection becomes a byte tunnel,
// bounded by its own idle timeout, send_timeout both ways, and on protected locations by the
// session it was opened with.
import GatewayCore
import GatewayHTTP

extension ClientConnection {
    func startTunnel(_ response: HTTPResponseHead) {
        guard var e = exchange, let up = upstream else {
            preconditionFailure("a 101 without an exchange and its upstream")
        }
        let rewritten = HeadRewriter.clientResponse(
            response, clientVersion: e.head.version, keepAlive: true, upgrade: true)
        e.machine.tunnelOpened()
        e.status = 101
        output.append(rewritten.bytes)
        e.tunnel = TunnelTimers(
            now: MonotonicClock.now(), idleTimeout: shared.tunnelIdleTimeout, sendTimeout: shared.sendTimeout,
            checksSession: e.session != nil, queuedForClient: output.pending)
        exchange = e
        logAccess()
        state = .tunneling
        clearDeadline()
        setReading(true)
        // From here the tunnel's own clocks run (tunnelTick), not the upstream's read timeout.
        up.startTunnel()
        tunnelUpstreamBytes()
        if !input.isEmpty { tunnelClientBytes() }
    }

    /// Client to upstream.
    func tunnelClientBytes() {
        guard state == .tunneling, let up = upstream else { return }
        if !input.isEmpty { exchange?.tunnel?.noteActivity() }
        up.send(input.readable)
        input.removeAll()
        // Decide after the flush: one that empties the queue arms no write event to resume us.
        up.flush()
        guard upstream === up else { return }
        setReading(up.output.pending < Self.highWater)
    }

    /// Upstream to client.
    func tunnelUpstreamBytes() {
        guard state == .tunneling, let up = upstream else { return }
        let count = up.input.count
        if count > 0 { exchange?.tunnel?.noteQueuedForClient(count) }
        output.append(up.input.readable)
        up.input.removeAll()
        flushOutput()
        if state == .tunneling && output.pending >= Self.highWater && !upstreamPaused {
            upstreamPaused = true
            up.pauseReading(true)
        }
    }

    /// Called on every loop tick while tunnelling. The upstream side's send_timeout is the
    /// upstream connection's own deadline; everything else is timed here.
    func tunnelTick(now: UInt64) {
        guard var timers = exchange?.tunnel else { preconditionFailure("a tunnel without its timers") }
        let action = timers.tick(now: now, clientPending: output.pending)
        exchange?.tunnel = timers
        switch action {
        case .none:
            break
        case .closeIdle:
            closeTunnel("no bytes either way for tunnel_idle_timeout")
        case .closeClientStalled:
            closeTunnel("the client took no bytes for send_timeout")
        case .checkSession:
            checkTunnelSession()
        }
    }

    /// Re-loads the session the tunnel was opened with; a deleted or expired one closes it.
    /// A store that does not answer leaves the tunnel open until the next check: the same
    /// outage already refuses every new request, and dropping every WebSocket at once on a
    /// store hiccup would be worse.
    private func checkTunnelSession() {
        guard let gate = context.gate, let session = exchange?.session else { return }
        let serial = exchangeSerial
        gate.recheck(session) { [self] result in
            guard isCurrent(serial, in: .tunneling) else { return }
            switch result {
            case .unavailable(let reason):
                shared.errorLog.warning(
                    "session store unavailable; the tunnel stays open until the next check",
                    metadata: ["error": .string(reason)])
            case .stands:
                break
            case .ended:
                closeTunnel("its session ended (signed out or expired)")
            }
        }
    }

    private func closeTunnel(_ reason: String) {
        shared.errorLog.info(
            "closing a WebSocket tunnel", metadata: ["client": .string(peerHost), "reason": .string(reason)])
        close()
    }
}
