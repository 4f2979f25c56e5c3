// After a 101 Switching Protocols (WebSocket), the connection becomes a byte tunnel.
import GatewayHTTP

extension ClientConnection {
    func startTunnel(_ response: HTTPResponseHead) {
        guard var e = exchange, let up = upstream else { return }
        let rewritten = HeadRewriter.clientResponse(response, clientVersion: e.head.version, keepAlive: true, upgrade: true)
        e.responseHeadDone = true
        e.status = 101
        exchange = e
        output.append(rewritten.bytes)
        logAccess()
        state = .tunneling
        clearDeadline()
        setReading(true)
        // The upstream's read timeout bounds an idle tunnel, as for any proxied response.
        up.awaitResponse()
        tunnelUpstreamBytes()
        if !input.isEmpty { tunnelClientBytes() }
    }

    /// Client to upstream.
    func tunnelClientBytes() {
        guard state == .tunneling, let up = upstream else { return }
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
        output.append(up.input.readable)
        up.input.removeAll()
        flushOutput()
        if state == .tunneling && output.pending >= Self.highWater && !upstreamPaused {
            upstreamPaused = true
            up.pauseReading(true)
        }
    }
}
