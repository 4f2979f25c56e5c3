// The upstream side of a client connection's exchange, as a second I/O shell: it forwards the
// request with backpressure both ways, and hands each report of the upstream connection to the
// client connection's exchange machine, whose action the client connection performs.
import GatewayCore
import GatewayHTTP

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class UpstreamLeg: UpstreamConnectionDelegate, @unchecked Sendable {
    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// The hot methods start with `let client = self.client`: one strong load of this unowned
    /// reference per call instead of one (an unownedRetainStrong and a release) per use.
    private unowned let client: ClientConnection
    /// The connection the current exchange uses, from its forwarding to its end.
    private(set) var upstream: UpstreamConnection?
    /// The upstream is not read while the client is slow to take the response.
    private var paused = false
    /// The client connection's machine, read and changed in place (a `get` would copy it, and
    /// the exchange in it, on every read).
    private var machine: ExchangeMachine {
        _read { yield client.machine }
        _modify { yield &client.machine }
    }
    private var shared: ProxyShared { client.context.shared }
    private var context: LoopContext { client.context }
    private var input: ReadBuffer { client.transport.input }
    private var output: WriteQueue { client.transport.output }

    init(client: ClientConnection) {
        self.client = client
    }

    /// Forwards the exchange's request; `identity` is the signed-in user's header block, if any.
    func forward(_ route: Route, identity: [UInt8]?) {
        let client = self.client
        guard let e = client.machine.exchange, let canonical = e.target else { preconditionFailure("forwarding without a target") }
        // The shared state once, and the upstream's fields in place: a copy of the whole
        // UpstreamTarget (and of the forwarding policy through the computed `shared`) retained
        // and released each of their arrays and strings on every request.
        let context = client.context
        let shared = context.shared
        let server = context.pool.chooseServer(upstream: route.upstreamIndex)
        let head = HeadRewriter.upstreamRequest(
            e.head, target: canonical.forwarded, peerIP: client.peerHost, peerTrusted: client.peerTrusted, isTLS: client.transport.isTLS,
            policy: shared.forwarding, defaultHost: shared.upstreams[route.upstreamIndex].serverNames[server],
            keepAlive: shared.upstreams[route.upstreamIndex].keepalive > 0 && !e.head.isUpgrade,
            identity: identity, trace: e.trace)
        client.machine.update {
            $0.serverIndex = server
            $0.forwardedHead = head
        }
        if e.head.expectsContinue && !e.requestComplete {
            client.transport.output.append(Self.continueResponse)
            client.flush()
            guard client.machine.phase == .proxying else { return }
        }
        connectUpstream(reuse: true)
    }

    /// Takes a pooled connection (unless retrying) or opens one, and sends the request head.
    func connectUpstream(reuse: Bool) {
        let client = self.client
        guard let e = client.machine.exchange, let route = e.route else { return }
        switch client.context.upstreamConnection(upstream: route.upstreamIndex, server: e.serverIndex, reuse: reuse, delegate: self) {
        case .failure(let error):
            client.apply(client.machine.upstreamFailed(error, draining: client.shared.isDraining, now: MonotonicClock.now()))
        case .success(let (connection, reused)):
            client.machine.update {
                $0.reusedConnection = reused
                $0.upstreamStart = MonotonicClock.now()
                $0.requestQueued = false
            }
            connection.startRequest(method: e.head.methodKind)
            connection.send(e.forwardedHead)
            if client.machine.exchange?.canRetry == false { client.machine.update { $0.forwardedHead = [] } }
            upstream = connection
            pumpRequestBody()
        }
    }

    /// Moves request body bytes to the upstream until its queue is full. Whether to keep reading
    /// the client is decided after the flush: a flush that empties the queue at once arms no
    /// write event, so nothing else would ever resume a paused client.
    func pumpRequestBody() {
        let client = self.client
        guard client.machine.phase == .proxying, let up = upstream, let e = client.machine.exchange, !e.requestQueued else { return }
        var decoder = e.requestDecoder
        while true {
            let step = RequestBodyPump.move(from: client.transport.input, decoder: &decoder, to: up.output, chunked: e.head.framing == .chunked)
            client.machine.update { $0.requestDecoder = decoder }
            switch step {
            case .invalid(let error): return client.apply(client.machine.requestBodyInvalid(error))
            case .complete:
                client.machine.requestQueued()
                up.awaitResponse()
                return up.flush()
            case .needMore, .full:
                up.flush()
                guard upstream === up, client.machine.phase == .proxying else { return }
                if up.output.pending >= ClientTransport.highWater { return client.transport.wantRead(false) }  // drained resumes
                if client.transport.input.isEmpty || step == .needMore { return client.transport.wantRead(true) }
            }
        }
    }

    // MARK: Upstream reports

    func upstreamConnected(_ upstream: UpstreamConnection) {}

    func upstreamDrained(_ up: UpstreamConnection) {
        guard up === upstream, machine.exchange?.requestComplete == false else { return }
        pumpRequestBody()
    }

    func upstreamTunnelReadable(_ upstream: UpstreamConnection) {}

    func upstreamClosed(_ closed: UpstreamConnection, error: UpstreamError?) {
        guard closed === upstream, machine.exchange != nil else { return }
        upstream = nil
        let action = machine.upstreamClosed(
            error, sentNothing: !closed.responseStarted, draining: shared.isDraining, now: MonotonicClock.now())
        if case .flushAndClose = action {
            shared.errorLog.warning(
                "upstream ended the response early",
                metadata: [
                    "upstream": .string(shared.upstreams[closed.upstreamIndex].serverNames[closed.serverIndex]),
                    "error": .string(error?.description ?? "connection closed"),
                ])
        }
        client.apply(action)
    }

    func upstreamResponseHead(_ up: UpstreamConnection, _ response: HTTPResponseHead) {
        let client = self.client
        guard up === upstream, client.machine.exchange != nil else { return }
        let pooling = client.shared.upstreams[up.upstreamIndex].keepalive > 0
        client.apply(client.machine.upstreamHead(response, pooling: pooling, draining: client.shared.isDraining, now: MonotonicClock.now()))
    }

    func upstreamCanTakeBody(_ up: UpstreamConnection) -> Bool {
        let client = self.client
        return up === upstream && client.machine.phase == .proxying && client.transport.output.pending < ClientTransport.highWater
    }

    func upstreamResponseBody(_ up: UpstreamConnection, _ bytes: UnsafeRawBufferPointer) {
        let client = self.client
        guard up === upstream, let framing = client.machine.exchange?.clientFraming else { return }
        client.machine.update { $0.bytesSent += bytes.count }
        client.transport.output.appendBody(bytes, chunked: framing == .chunked)
    }

    /// Decoding stopped short of the end: send what is queued, and pause the upstream while the
    /// client's queue is full (the flush that drains it resumes the upstream).
    func upstreamResponseBodyWaiting(_ up: UpstreamConnection) {
        guard up === upstream, machine.phase == .proxying else { return }
        client.flush()
        guard upstream === up, machine.phase == .proxying else { return }
        if output.pending >= ClientTransport.highWater && !paused {
            paused = true
            up.pauseReading(true)
        }
    }

    func upstreamResponseComplete(_ up: UpstreamConnection, reusable: Bool) {
        let client = self.client
        guard up === upstream, client.machine.phase == .proxying, client.machine.exchange != nil else { return }
        client.apply(client.machine.responseComplete(upstreamReusable: reusable))
    }

    func upstreamResponseInvalid(_ up: UpstreamConnection, _ problem: UpstreamResponseProblem) {
        guard up === upstream, machine.exchange != nil else { return }
        let now = MonotonicClock.now()
        switch problem {
        case .headTooLarge:
            client.apply(machine.upstreamFailed(.io(SystemError("response head too large", errno: 7)), draining: shared.isDraining, now: now))
        case .invalidHead(let error):
            shared.errorLog.warning("upstream sent an invalid response", metadata: ["reason": .string(error.description)])
            client.apply(machine.upstreamFailed(.io(SystemError("invalid response", errno: 71)), draining: shared.isDraining, now: now))
        case .invalidBody(let error):
            shared.errorLog.warning("upstream sent an invalid body", metadata: ["reason": .string(error.description)])
            client.apply(machine.responseInvalid())
        }
    }

    // MARK: Ends

    /// The client's queue drained below the low-water mark: a paused response goes on.
    func resume() {
        guard paused else { return }
        paused = false
        upstream?.pauseReading(false)
        if machine.exchange?.responseHeadDone == true { upstream?.readResponse() }
    }

    /// The response is complete and the connection may serve another request.
    func pool() {
        paused = false
        guard let up = upstream else { return }
        upstream = nil
        context.pool.release(up)
    }

    /// The connection in use, if any, is closed: never pooled.
    func end() {
        paused = false
        guard let up = upstream else { return }
        upstream = nil
        up.close()
    }

    /// A 101: the tunnel takes the connection over.
    func handOver() -> UpstreamConnection? {
        defer { upstream = nil }
        return upstream
    }
}
