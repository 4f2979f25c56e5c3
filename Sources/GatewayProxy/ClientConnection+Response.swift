// The upstream's response on its way to the client: the head rewritten, the body re-framed as
// needed, and the upstream connection pooled or closed at its end.
import GatewayCore
import GatewayHTTP

extension ClientConnection {
    // MARK: Response

    func processResponseHead() {
        guard let up = upstream, var e = exchange else { return }
        while !e.responseHeadDone {
            switch up.responseParser.parse(up.input.readable, requestMethod: e.head.methodKind) {
            case .needMore:
                if up.input.count >= UpstreamConnection.readLimit {
                    upstreamFailed(.io(SystemError("response head too large", errno: 7)))
                }
                return
            case .failure(let error):
                shared.errorLog.warning("upstream sent an invalid response", metadata: ["reason": .string(error.description)])
                upstreamFailed(.io(SystemError("invalid response", errno: 71)))
                return
            case .complete(let response, let consumed):
                up.input.consume(consumed)
                up.responseParser.reset()
                e.forwardedHead = []
                if response.status == 101 {
                    exchange = e
                    switchingProtocols(response)
                    return
                }
                if response.status < 200 { continue }  // interim responses end here
                e.responseHeadDone = true
                e.status = response.status
                e.upstreamHeadNanos = MonotonicClock.now() &- e.upstreamStart
                let target = shared.upstreams[up.upstreamIndex]
                e.upstreamKeepAlive = response.keepAlive && response.framing != .untilClose && target.keepalive > 0
                let wantKeepAlive = e.head.keepAlive && e.requestComplete && !shared.isDraining
                let rewritten = HeadRewriter.clientResponse(
                    response, clientVersion: e.head.version, keepAlive: wantKeepAlive, upgrade: false)
                e.clientFraming = rewritten.framing
                e.keepAlive = rewritten.keepAlive
                output.append(rewritten.bytes)
                up.decoder = HTTPBodyDecoder(framing: response.framing)
            }
        }
        exchange = e
        pumpResponseBody()
    }

    /// Moves response body bytes to the client until its queue is full; pauses the upstream then.
    func pumpResponseBody() {
        guard let up = upstream, state == .proxying, let e = exchange, e.responseHeadDone else { return }
        pumpResponseBody(from: up)
        guard upstream === up, state == .proxying else { return }
        if up.decoder.isComplete {
            responseComplete(upstreamReusable: true)
            return
        }
        flushOutput()
        guard upstream === up, state == .proxying else { return }
        if output.pending >= Self.highWater && !upstreamPaused {
            upstreamPaused = true
            up.pauseReading(true)
        }
    }

    func pumpResponseBody(from up: UpstreamConnection) {
        guard var e = exchange else { return }
        let chunked = e.clientFraming == .chunked
        var sent = 0
        while !up.input.isEmpty && output.pending < Self.highWater && !up.decoder.isComplete {
            let consumed: Int
            do {
                consumed = try up.decoder.decode(up.input.readable) { data in
                    sent += data.count
                    output.appendBody(data, chunked: chunked)
                }
            } catch {
                e.bytesSent += sent
                exchange = e
                shared.errorLog.warning("upstream sent an invalid body", metadata: ["reason": .string(error.description)])
                logAccess()
                flushThenClose()
                return
            }
            up.input.consume(consumed)
            if consumed == 0 { break }
        }
        e.bytesSent += sent
        exchange = e
    }

    func responseComplete(upstreamReusable: Bool) {
        guard let e = exchange else { return }
        if e.clientFraming == .chunked { output.append(HTTPSerializer.lastChunk) }
        if let up = upstream {
            upstream = nil
            if upstreamReusable && e.upstreamKeepAlive && e.requestComplete && up.input.isEmpty && up.state == .active {
                context.pool.release(up)
            } else {
                up.close()
            }
        }
        logAccess()
        finishExchange(keepAlive: e.keepAlive && e.requestComplete && e.clientFraming != .untilClose)
    }

    /// Sends what is queued, then closes (a response that cannot be finished properly).
    func flushThenClose() {
        if let up = upstream {
            upstream = nil
            up.close()
        }
        if let e = exchange, !e.requestComplete { inputUnread = true }
        exchange = nil
        state = .closing
        setReading(false)
        clearDeadline()  // the send timeout bounds the flush
        flushOutput()
    }
}
