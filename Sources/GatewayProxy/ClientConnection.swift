// One client connection as an I/O shell: socket events, parsed heads and upstream reports go
// into the exchange machine, and the connection performs the action that comes out.
import GatewayCore
import GatewayHTTP
import GatewayTLS
import Logging

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class ClientConnection: ClientTransportHandler, LoopTickable, @unchecked Sendable {
    /// Its generation's context; a reload's successor takes over between requests (`followReload`).
    private(set) var context: LoopContext
    var shared: ProxyShared { context.shared }
    private(set) var transport: ClientTransport!
    var input: ReadBuffer { transport.input }
    var output: WriteQueue { transport.output }
    let peer: SocketAddress
    private(set) lazy var peerHost: String = peer.host
    /// Whether this peer is in `trusted_proxies`: its forwarded headers are believed.
    private(set) lazy var peerTrusted: Bool = shared.isTrusted(peer)
    private lazy var origin = RequestOrigin(peer: peer, peerTrusted: peerTrusted, endpoint: context.endpoint)
    private var parser: HTTPRequestParser
    var machine: ExchangeMachine
    private lazy var leg = UpstreamLeg(client: self)
    /// No new pipelined request is parsed while the client is slow to take the answers.
    private var parsingPaused = false
    private var processing = false
    private var closed = false

    init(context: LoopContext, fd: Int32, peer: SocketAddress, tls: TLSServerContext?) {
        self.context = context
        self.peer = peer
        let shared = context.shared
        parser = HTTPRequestParser(maxHeadSize: shared.maxHeaderSize)
        machine = ExchangeMachine(timeouts: shared.exchangeTimeouts, hsts: shared.hsts, now: MonotonicClock.now())
        transport = ClientTransport(
            loop: context.loop, fd: fd, tls: tls, readCapacity: max(shared.maxHeaderSize + 4096, 64 * 1024),
            sendTimeout: shared.sendTimeout, handler: self)
        context.loop.register(self)
        transport.wantRead(true)
    }

    // MARK: Client events

    func clientReadable() {
        switch transport.read() {
        case .bytes(let n):
            machine.clientBytes(now: MonotonicClock.now)
            if transport.linger != nil {
                if transport.lingerRead(n) { close() }
            } else if machine.phase == .discarding {
                discardBody()
            } else if machine.phase == .collecting {
                collectBody()
            } else {
                process()
            }
        case .full, .nothing: return
        case .ended: apply(machine.clientEnded())
        case .plaintextOnTLSPort: apply(machine.headInvalid(.plaintextOnTLSPort))
        }
    }

    func clientWritable() { flush() }

    /// Parses and starts every complete request in the buffer (pipelining), one at a time.
    func process() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while machine.phase == .awaitingHead && !input.isEmpty {
            if output.pending >= ClientTransport.highWater {
                // The gateway's own answers obey the same backpressure as proxied ones: flush
                // resumes parsing below the low-water mark. The send timeout governs meanwhile.
                parsingPaused = true
                transport.wantRead(false)
                return machine.parsingPaused()
            }
            switch parser.parse(input.readable) {
            case .needMore: return machine.partialHead(now: MonotonicClock.now)
            case .failure(let error):
                parser.reset()
                shared.errorLog.debug(
                    "rejected request", metadata: ["client": .string(peerHost), "reason": .string(error.description)])
                return apply(machine.headInvalid(LocalResponse.error(error.status, detail: error.description, for: nil)))
            case .complete(let head, let consumed):
                input.consume(consumed)
                parser.reset()
                let client = ClientAddressResolver.resolve(
                    peer: peerHost, peerTrusted: peerTrusted, headers: head.headers, trusted: shared.trustedProxies)
                var e = Exchange(head: head, start: MonotonicClock.now(), clientAddress: client)
                e.trace = RequestTrace.make(head, peerTrusted: peerTrusted, ids: &context.ids)
                let decision = RequestRouting.decide(&e, from: origin, shared: shared)
                apply(machine.headParsed(e, decision: decision, draining: shared.isDraining, now: e.start))
            }
        }
        if machine.phase == .proxying { leg.pumpRequestBody() }
    }

    private func discardBody() {
        let used = machine.discarded(input.readable)
        input.consume(used)
        if machine.phase == .discarding { transport.wantRead(true) } else { settle() }
    }

    private func collectBody() {
        let (used, action) = machine.collected(input.readable)
        input.consume(used)
        if machine.phase == .collecting { transport.wantRead(true) }
        apply(action)
    }

    // MARK: Actions

    func apply(_ action: ExchangeMachine.Action) {
        switch action {
        case .none: return
        case .answer(let response, let keepAlive, let logged):
            leg.end()
            output.append(
                response.serialized(keepAlive: keepAlive, isHead: logged?.head.methodKind == .head, hsts: shared.hstsValue))
            log(logged, status: response.status)
        case .askEndpoint(let endpoint): return ask(endpoint)
        case .collectBody(let sendContinue):
            if sendContinue { output.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        case .askGate(let route): return ask(context.gate, route: route)
        case .forward(let route, let identity): return leg.forward(route, identity: identity)
        case .retry:
            shared.errorLog.debug(
                "retrying on a fresh connection: the pooled one was closed",
                metadata: ["upstream": .string(machine.exchange?.serverName(in: shared.upstreams) ?? "-")])
            return leg.connectUpstream(reuse: false)
        case .writeHead(let bytes): return output.append(bytes)
        case .openTunnel(let head, let e): return openTunnel(head, e)
        case .finish(let lastChunk, let poolUpstream, let logged):
            if lastChunk { output.append(HTTPSerializer.lastChunk) }
            if poolUpstream { leg.pool() } else { leg.end() }
            log(logged, status: logged.status)
        case .flushAndClose(let logged):
            leg.end()
            if let logged { log(logged, status: logged.status) }
        case .close(let logged):
            if let logged { log(logged, status: logged.status) }
            return close()
        case .upstreamFailed(let error, let status, let then):
            guard case .answer(_, _, let failed) = then else { preconditionFailure("an upstream failure gave \(then)") }
            shared.errorLog.warning(
                "upstream failed",
                metadata: [
                    "upstream": .string(failed?.serverName(in: shared.upstreams) ?? "-"), "error": .string(error.description),
                    "status": .string(String(status)),
                ])
            return apply(then)
        case .proceed: break
        }
        settle()
    }

    /// Goes on in the phase the machine is in now: read the next head, drop a body, or close.
    private func settle() {
        if shared.isDraining { machine.drain() }
        switch machine.phase {
        case .awaitingHead:
            followReload()
            machine.awaitHead(inputEmpty: input.isEmpty, now: MonotonicClock.now())
            transport.wantRead(true)
            flush()
            if machine.phase == .awaitingHead && !input.isEmpty { process() }
        case .discarding:
            transport.wantRead(true)
            flush()
            discardBody()
        case .collecting:
            transport.wantRead(true)
            flush()
            if !input.isEmpty { collectBody() }
        case .closing:
            transport.wantRead(false)
            flush()
        case .waiting, .proxying, .tunnelled: break
        }
    }

    // MARK: Output

    /// Writes what the client takes; resumes paused parsing, or a paused upstream, once the queue is low.
    func flush() {
        switch transport.flush() {
        case .drained where machine.closesWhenDrained:
            guard transport.linger == nil else { return }
            if !transport.stageClose(inputUnread: machine.inputUnread) { close() }
            return
        case .drained, .pending: break
        case .failed: return apply(.close(logged: machine.exchange))
        }
        if parsingPaused && output.pending < ClientTransport.lowWater {
            parsingPaused = false
            transport.wantRead(true)
            machine.awaitHead(inputEmpty: input.isEmpty, now: MonotonicClock.now())
            process()
        }
        if output.pending < ClientTransport.lowWater { leg.resume() }
        if output.isEmpty && isBetweenRequests { transport.releaseIdleBuffers() }
    }

    /// The exchange's access-log line and metrics (one clock read for both, none when both are
    /// off); nil: a request refused before its head parsed.
    func log(_ e: Exchange?, status: Int) {
        guard let e else {
            context.metrics?.recordRejected(status: status)
            context.accessLog?.record(.rejected(client: peerHost, status: status))
            return
        }
        guard context.accessLog != nil || context.metrics != nil else { return }
        let now = MonotonicClock.now()
        context.metrics?.record(e, now: now, context: context)
        context.accessLog?.record(
            AccessLog.Entry(
                e, upstream: e.serverName(in: shared.upstreams), signInPrefix: context.endpoint?.logRedactedPrefix, now: now))
    }

    // MARK: Clocks and closing

    func tick(now: UInt64) {
        switch transport.expired(now: now) {
        case .sendTimedOut:
            // The client stopped reading: reset, so its unsent bytes are not kept alive.
            shared.errorLog.info(
                "client send timed out", metadata: ["client": .string(peerHost), "pending": .string(String(output.pending))])
            if let e = machine.exchange { log(e, status: e.status) }
            transport.reset()
            return close()
        case .lingerOver: return close()
        case nil: break
        }
        transport.probeAgain()
        guard transport.linger == nil, now >= machine.deadline else { return }
        apply(machine.tick(now: now, inputEmpty: input.isEmpty))
    }

    /// Between requests (nothing in flight, no partial head), so a reload may move it now.
    var isBetweenRequests: Bool { machine.isIdle(inputEmpty: input.isEmpty) }

    /// A reload replaced this connection's generation: the next request uses the newest one,
    /// and what was derived from the old one is derived again. Only between requests.
    func followReload() {
        guard let next = context.latest else { return }
        context = next
        peerTrusted = shared.isTrusted(peer)
        origin = RequestOrigin(peer: peer, peerTrusted: peerTrusted, endpoint: context.endpoint)
        parser = HTTPRequestParser(maxHeadSize: shared.maxHeaderSize)
        (machine.timeouts, machine.hsts) = (shared.exchangeTimeouts, shared.hsts)
        transport.sendTimeout = shared.sendTimeout
    }

    /// Shutdown: an idle connection closes now; a busy one closes after its exchange.
    func drain() {
        if machine.isIdle(inputEmpty: input.isEmpty) { close() }
    }

    func close() {
        guard !closed else { return }
        closed = true
        leg.end()
        if !transport.isClosed { transport.close() }
        context.loop.unregister(self)
        shared.activeConnections.decrement()
    }

    /// A checked 101: the tunnel takes over both sockets, and this connection's work is done.
    private func openTunnel(_ head: [UInt8], _ e: Exchange) {
        guard let up = leg.handOver() else { preconditionFailure("a 101 without its upstream") }
        output.append(head)
        log(e, status: 101)
        let relay = TunnelRelay(context: context, client: transport, upstream: up, session: e.session, peerHost: peerHost)
        closed = true
        context.loop.unregister(self)
        relay.start()
    }
}
