// Forwarding one exchange: the request to an upstream connection, the response back, with
// backpressure both ways and one retry on a stale pooled connection.
import GatewayCore
import GatewayHTTP

extension ClientConnection: UpstreamConnectionDelegate {
    /// Forwards the exchange's request; `identity` is the signed-in user's header block, if any.
    func startProxy(_ head: HTTPRequestHead, route: Route, identity: [UInt8]?) {
        guard var e = exchange else { return }
        guard let canonical = e.target else { preconditionFailure("startProxy before the target was canonicalised") }
        let target = shared.upstreams[route.upstreamIndex]
        e.route = route
        e.serverIndex = context.pool.chooseServer(upstream: route.upstreamIndex)
        e.forwardedHead = HeadRewriter.upstreamRequest(
            head, target: canonical.forwarded, peerIP: peerHost, peerTrusted: peerTrusted, isTLS: false,
            policy: shared.forwarding, defaultHost: target.serverNames[e.serverIndex], keepAlive: target.keepalive > 0 && !head.isUpgrade,
            identity: identity)
        e.machine.startProxy()
        exchange = e
        state = .proxying
        if head.expectsContinue && !e.requestComplete {
            output.append(Self.continueResponse)
            flushOutput()
            guard state == .proxying else { return }
        }
        if !e.requestComplete { setDeadline(.body) }
        connectUpstream(reuse: true)
    }

    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Takes a pooled connection (unless retrying) or opens one, and sends the request head.
    private func connectUpstream(reuse: Bool) {
        guard var e = exchange, let route = e.route else { return }
        let u = route.upstreamIndex
        let connection: UpstreamConnection
        if reuse, let pooled = context.pool.take(upstream: u, server: e.serverIndex) {
            pooled.activate(delegate: self)
            connection = pooled
            e.reusedConnection = true
        } else {
            switch UpstreamConnection.connect(context: context, upstreamIndex: u, serverIndex: e.serverIndex, delegate: self) {
            case .success(let c): connection = c
            case .failure(let error):
                exchange = e
                upstreamFailed(error)
                return
            }
            e.reusedConnection = false
        }
        e.upstreamStart = MonotonicClock.now()
        e.requestQueued = false
        connection.startRequest(method: e.head.methodKind)
        connection.send(e.forwardedHead)
        if !e.canRetry { e.forwardedHead = [] }
        exchange = e
        upstream = connection
        pumpRequestBody()
    }

    // MARK: Request body

    /// Moves request body bytes from the client buffer to the upstream, until the upstream's queue is full.
    ///
    /// Whether to keep reading the client is decided after the flush: a flush that empties the
    /// queue at once arms no write event, so nothing else would ever resume a paused client.
    func pumpRequestBody() {
        guard state == .proxying, let up = upstream, var e = exchange, !e.requestQueued else { return }
        let chunked = e.head.framing == .chunked
        while true {
            while !e.requestComplete && !input.isEmpty && up.output.pending < Self.highWater {
                let consumed: Int
                do {
                    consumed = try e.requestDecoder.decode(input.readable) { data in
                        up.output.appendBody(data, chunked: chunked)
                    }
                } catch {
                    exchange = e
                    requestBodyFailed(error)
                    return
                }
                input.consume(consumed)
                if e.requestDecoder.isComplete {
                    if chunked { up.send(HTTPSerializer.lastChunk) }
                    e.requestComplete = true
                }
                if consumed == 0 { break }
            }
            if e.requestComplete {
                // Reading goes on (so a pipelined request or a hang-up is seen) without consuming:
                // the next request waits in the buffer until this exchange ends.
                e.requestQueued = true
                exchange = e
                clearDeadline()
                up.awaitResponse()
                up.flush()
                return
            }
            exchange = e
            up.flush()
            guard upstream === up, state == .proxying else { return }
            if up.output.pending >= Self.highWater {
                setReading(false)  // upstreamDrained resumes
                return
            }
            if input.isEmpty {
                setReading(true)
                return
            }
            // The upstream took everything at once and more is buffered: go on.
        }
    }

    private func requestBodyFailed(_ error: HTTPParseError) {
        guard var e = exchange else { return }
        let action = e.machine.requestBodyInvalid(status: error.status)
        exchange = e
        switch action {
        case .close:
            logAccess()
            close()
        case .respond(let status, _):
            respondAndClose(LocalResponse.error(status, detail: error.description, for: e.head), head: e.head)
        case .retry, .flushAndClose, .finish:
            preconditionFailure("an invalid request body gave \(action)")
        }
    }

    // MARK: Upstream events

    func upstreamConnected(_ upstream: UpstreamConnection) {}

    func upstreamDrained(_ upstream: UpstreamConnection) {
        guard upstream === self.upstream else { return }
        if state == .tunneling {
            setReading(true)
            if !input.isEmpty { tunnelClientBytes() }
        } else if let e = exchange, !e.requestComplete {
            pumpRequestBody()
        }
    }

    func upstreamTunnelReadable(_ upstream: UpstreamConnection) {
        guard upstream === self.upstream, state == .tunneling else { return }
        tunnelUpstreamBytes()
    }

    func upstreamClosed(_ closed: UpstreamConnection, error: UpstreamError?) {
        guard closed === upstream, var e = exchange else { return }
        upstream = nil
        let action = e.machine.upstreamClosed(
            error: error, retryable: e.canRetry && !closed.responseStarted, requestComplete: e.requestComplete)
        exchange = e
        switch action {
        case .retry:
            exchange?.retried = true
            shared.errorLog.debug(
                "retrying on a fresh connection: the pooled one was closed",
                metadata: ["upstream": .string(shared.upstreams[closed.upstreamIndex].name)])
            connectUpstream(reuse: false)
            return
        case .respond:
            answerUpstreamFailure(error ?? .io(SystemError("recv", errno: 104)), action)
            return
        case .flushAndClose where state == .tunneling:
            flushThenClose()
            return
        case .flushAndClose:
            break
        case .finish, .close:
            preconditionFailure("an upstream close gave \(action)")
        }
        shared.errorLog.warning(
            "upstream ended the response early",
            metadata: [
                "upstream": .string(shared.upstreams[closed.upstreamIndex].serverNames[closed.serverIndex]),
                "error": .string(error?.description ?? "connection closed"),
            ])
        logAccess()
        flushThenClose()
    }

    /// 502 for a refused or broken upstream, 504 for a timeout, when no response has started.
    func upstreamFailed(_ error: UpstreamError) {
        guard var e = exchange, e.route != nil else { return }
        let action = e.machine.upstreamFailed(timedOut: error.isTimeout, requestComplete: e.requestComplete)
        exchange = e
        answerUpstreamFailure(error, action)
    }

    private func answerUpstreamFailure(_ error: UpstreamError, _ action: ExchangeMachine.Action) {
        guard let e = exchange, let route = e.route, case .respond(let status, let keepAlive) = action else {
            preconditionFailure("an upstream failure answered with \(action)")
        }
        shared.errorLog.warning(
            "upstream failed",
            metadata: [
                "upstream": .string(shared.upstreams[route.upstreamIndex].serverNames[e.serverIndex]),
                "error": .string(error.description), "status": .string(String(status)),
            ])
        if let up = upstream {
            upstream = nil
            up.close()
        }
        let response = LocalResponse.error(status, for: e.head)
        if keepAlive {
            respond(response)
        } else {
            respondAndClose(response, head: e.head)
        }
    }
}
