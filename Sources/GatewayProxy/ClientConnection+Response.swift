// The upstream's response on its way to the client: the head rewritten, the body re-framed as
// needed, and the upstream connection pooled or closed at its end.
import GatewayCore
import GatewayHTTP

extension ClientConnection {
    // MARK: Response

    func upstreamResponseHead(_ up: UpstreamConnection, _ response: HTTPResponseHead) {
        guard up === upstream, var e = exchange else { return }
        e.forwardedHead = []
        if response.status == 101 {
            exchange = e
            switchingProtocols(response)
            return
        }
        e.machine.responseHead()
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
        exchange = e
    }

    func upstreamCanTakeBody(_ up: UpstreamConnection) -> Bool {
        up === upstream && state == .proxying && output.pending < Self.highWater
    }

    func upstreamResponseBody(_ up: UpstreamConnection, _ bytes: UnsafeRawBufferPointer) {
        guard up === upstream, let framing = exchange?.clientFraming else { return }
        exchange?.bytesSent += bytes.count
        output.appendBody(bytes, chunked: framing == .chunked)
    }

    /// The upstream stopped decoding short of the end: send what is queued, and pause the
    /// upstream while the client's queue is full (the output drain resumes it).
    func upstreamResponseBodyWaiting(_ up: UpstreamConnection) {
        guard up === upstream, state == .proxying else { return }
        flushOutput()
        guard upstream === up, state == .proxying else { return }
        if output.pending >= Self.highWater && !upstreamPaused {
            upstreamPaused = true
            up.pauseReading(true)
        }
    }

    func upstreamResponseComplete(_ up: UpstreamConnection, reusable: Bool) {
        guard up === upstream, state == .proxying, exchange != nil else { return }
        responseComplete(upstreamReusable: reusable)
    }

    func upstreamResponseInvalid(_ up: UpstreamConnection, _ problem: UpstreamResponseProblem) {
        guard up === upstream, exchange != nil else { return }
        switch problem {
        case .headTooLarge:
            upstreamFailed(.io(SystemError("response head too large", errno: 7)))
        case .invalidHead(let error):
            shared.errorLog.warning("upstream sent an invalid response", metadata: ["reason": .string(error.description)])
            upstreamFailed(.io(SystemError("invalid response", errno: 71)))
        case .invalidBody(let error):
            guard exchange?.machine.responseInvalid() == .flushAndClose else { return }
            shared.errorLog.warning("upstream sent an invalid body", metadata: ["reason": .string(error.description)])
            logAccess()
            flushThenClose()
        }
    }

    /// The client's queue drained below the low-water mark: the paused body goes on.
    func resumeResponseBody() {
        guard let up = upstream, state == .proxying, let e = exchange, e.responseHeadDone else { return }
        up.readResponse()
    }

    func responseComplete(upstreamReusable: Bool) {
        guard var e = exchange else { return }
        let action = e.machine.responseComplete(
            keepAlive: e.keepAlive && e.requestComplete && e.clientFraming != .untilClose)
        exchange = e
        guard case .finish(let keepAlive) = action else { preconditionFailure("a complete response gave \(action)") }
        if e.clientFraming == .chunked { output.append(HTTPSerializer.lastChunk) }
        if let up = upstream {
            upstream = nil
            if upstreamReusable && e.upstreamKeepAlive && e.requestComplete {
                context.pool.release(up)
            } else {
                up.close()
            }
        }
        logAccess()
        finishExchange(keepAlive: keepAlive)
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
