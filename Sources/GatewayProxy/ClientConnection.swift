// One client connection: reads request heads, answers locally or proxies, keeps alive.
import GatewayCore
import GatewayHTTP
import Logging

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class ClientConnection: LoopTickable, @unchecked Sendable {
    enum State { case awaitingHead, waiting, proxying, tunneling, closing, closed }
    enum DeadlineKind { case none, header, idle, body, send }

    /// Above this many queued bytes on one side, the other side stops being read.
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    let context: LoopContext
    var shared: ProxyShared { context.shared }
    private(set) var io: SocketIO!
    let peer: SocketAddress
    private(set) lazy var peerHost: String = peer.host
    /// Whether this peer is in `trusted_proxies`: its forwarded headers are believed.
    private(set) lazy var peerTrusted: Bool = shared.isTrusted(peer)
    let input = ReadBuffer(capacity: 16 * 1024)
    let output = WriteQueue()
    private var parser: HTTPRequestParser
    private let readCapacity: Int
    var state: State = .awaitingHead
    var exchange: Exchange?
    var upstream: UpstreamConnection?
    /// The upstream is not read while the client is slow to take the response.
    var upstreamPaused = false
    private var deadline: UInt64 = .max
    private var deadlineKind: DeadlineKind = .none
    private var processing = false
    private(set) var requestsServed = 0
    /// Counts exchanges, so an answer from a store or provider that arrives late can tell
    /// whether the exchange it was for is still the current one.
    private(set) var exchangeSerial: UInt64 = 0

    init(context: LoopContext, fd: Int32, peer: SocketAddress) {
        self.context = context
        self.peer = peer
        parser = HTTPRequestParser(maxHeadSize: context.shared.maxHeaderSize)
        readCapacity = max(context.shared.maxHeaderSize + 4096, 64 * 1024)
        io = context.loop.makeSocketIO(
            fd: fd,
            onReadable: { [unowned self] in self.onReadable() },
            onWritable: { [unowned self] in self.onWritable() })
        context.loop.register(self)
        setDeadline(.header)
        io.wantRead(true)
    }

    // MARK: Reading

    private func onReadable() {
        switch input.read(from: io.fd, maxCapacity: readCapacity) {
        case .bytes(let n):
            if n == 0 {
                // The buffer is full: stop until it is consumed.
                io.wantRead(false)
                return
            }
            if deadlineKind == .body { setDeadline(.body) }
            if state == .tunneling {
                tunnelClientBytes()
            } else {
                process()
            }
        case .eof:
            clientEnded()
        case .wouldBlock:
            return
        case .failed:
            clientEnded()
        }
    }

    /// Parses and starts every complete request in the buffer (pipelining), one at a time.
    func process() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while state == .awaitingHead && !input.isEmpty {
            switch parser.parse(input.readable) {
            case .needMore:
                if deadlineKind == .idle { setDeadline(.header) }
                return
            case .failure(let error):
                parser.reset()
                shared.errorLog.debug(
                    "rejected request", metadata: ["client": .string(peerHost), "reason": .string(error.description)])
                respondAndClose(LocalResponse.error(error.status, detail: error.description, for: nil), head: nil)
                return
            case .complete(let head, let consumed):
                input.consume(consumed)
                parser.reset()
                requestsServed += 1
                startRequest(head)
            }
        }
        if state == .proxying { pumpRequestBody() }
    }

    private func clientEnded() {
        switch state {
        case .proxying, .tunneling:
            if var e = exchange {
                e.status = e.responseHeadDone ? e.status : 499
                exchange = e
                logAccess()
            }
            close()
        default:
            close()
        }
    }

    func setReading(_ on: Bool) {
        io.wantRead(on)
    }

    // MARK: Requests

    private func startRequest(_ head: HTTPRequestHead) {
        exchangeSerial &+= 1
        let client = ClientAddressResolver.resolve(
            peer: peerHost, peerTrusted: peerTrusted, headers: head.headers, trusted: shared.trustedProxies)
        exchange = Exchange(head: head, start: MonotonicClock.now(), clientAddress: client)
        clearDeadline()
        // One canonical target for every decision below and for the upstream.
        let target: CanonicalTarget
        switch PathCanonicalizer.canonicalize(head.path, allowEncodedSlashes: shared.allowEncodedSlashes) {
        case .canonical(let t): target = t
        case .rejected(.notOriginForm): return respond(LocalResponse.error(404, for: head))  // `OPTIONS *`, CONNECT
        case .rejected:
            return respondAndClose(LocalResponse.error(400, detail: "The request path is not allowed.", for: head), head: head)
        }
        exchange?.target = target
        if let health = HealthEndpoints.response(for: head, path: target.path, peer: peer, peerTrusted: peerTrusted, shared: shared) {
            respond(health)
            return
        }
        if let signIn = context.signIn, handleSignInEndpoint(head, target: target.forwarded, signIn: signIn) {
            return
        }
        switch shared.router.match(target.matchPath) {
        case nil:
            respond(LocalResponse.error(404, for: head))
        case let route?:
            guard admitUpgrade(head, route: route) else { return }
            if route.location.auth == .off {
                startProxy(head, route: route, identity: nil)
            } else {
                authenticateThenProxy(head, route: route)
            }
        }
    }

    /// A response of the gateway's own. The connection stays open only when nothing of the
    /// request body is left unread.
    func respond(_ response: LocalResponse) {
        guard let e = exchange else { return }
        let keepAlive = e.head.keepAlive && e.requestComplete && !shared.isDraining
        output.append(response.serialized(keepAlive: keepAlive, isHead: e.head.methodKind == .head))
        exchange?.status = response.status
        exchange?.bytesSent = e.head.methodKind == .head ? 0 : response.body.count
        logAccess()
        finishExchange(keepAlive: keepAlive)
    }

    func respondAndClose(_ response: LocalResponse, head: HTTPRequestHead?) {
        output.append(response.serialized(keepAlive: false, isHead: head?.methodKind == .head))
        if exchange != nil {
            exchange?.status = response.status
            logAccess()
        } else {
            logRejected(status: response.status)
        }
        finishExchange(keepAlive: false)
    }

    /// Ends the current exchange; the connection waits for the next request or closes.
    func finishExchange(keepAlive: Bool) {
        exchange = nil
        if let up = upstream {
            upstream = nil
            up.close()
        }
        upstreamPaused = false
        guard state != .closed else { return }
        if keepAlive && !shared.isDraining {
            state = .awaitingHead
            setDeadline(input.isEmpty ? .idle : .header)
            io.wantRead(true)
            flushOutput()
            if state == .awaitingHead && !input.isEmpty { process() }
        } else {
            state = .closing
            io.wantRead(false)
            setDeadline(.send)
            flushOutput()
        }
    }

    // MARK: Writing

    private func onWritable() {
        if deadlineKind == .send { setDeadline(.send) }
        flushOutput()
    }

    /// Writes what the client takes; resumes a paused upstream once the queue is low.
    func flushOutput() {
        switch output.flush(to: io.fd) {
        case .drained:
            io.wantWrite(false)
            if state == .closing {
                close()
                return
            }
        case .pending:
            io.wantWrite(true)
        case .failed:
            if exchange != nil { logAccess() }
            close()
            return
        }
        if upstreamPaused && output.pending < Self.lowWater {
            upstreamPaused = false
            upstream?.pauseReading(false)
            if state == .tunneling { tunnelUpstreamBytes() } else { pumpResponseBody() }
        }
    }

    // MARK: Deadlines

    func setDeadline(_ kind: DeadlineKind) {
        let after: UInt64
        switch kind {
        case .none: after = .max
        case .header: after = shared.headerTimeout
        case .idle: after = shared.keepaliveTimeout
        case .body: after = shared.bodyTimeout
        case .send: after = shared.sendTimeout
        }
        deadlineKind = kind
        deadline = kind == .none ? .max : MonotonicClock.now() &+ after
    }

    func clearDeadline() {
        deadlineKind = .none
        deadline = .max
    }

    func tick(now: UInt64) {
        guard state != .tunneling else { return tunnelTick(now: now) }  // its own clocks: +Tunnel.swift
        guard now >= deadline else { return }
        switch deadlineKind {
        case .header:
            if input.isEmpty {
                close()
            } else {
                respondAndClose(LocalResponse.error(408, for: nil), head: nil)
            }
        case .body:
            if let e = exchange, !e.responseHeadDone {
                respondAndClose(LocalResponse.error(408, for: e.head), head: e.head)
            } else {
                close()
            }
        case .idle, .send:
            close()
        case .none:
            break
        }
    }

    /// Shutdown: an idle connection closes now; a busy one closes after its exchange.
    func drain() {
        if state == .awaitingHead && input.isEmpty { close() }
    }

    func close() {
        guard state != .closed else { return }
        state = .closed
        if let up = upstream {
            upstream = nil
            up.close()
        }
        exchange = nil
        io.close()
        context.loop.unregister(self)
        shared.activeConnections.decrement()
    }

    // MARK: Access log

    func logAccess() {
        guard let log = shared.accessLog, let e = exchange else { return }
        let upstream = e.route.map { shared.upstreams[$0.upstreamIndex].serverNames[e.serverIndex] }
        log.record(AccessLog.Entry(e, upstream: upstream, signInPrefix: context.signIn?.prefix, now: MonotonicClock.now()))
    }

    private func logRejected(status: Int) {
        shared.accessLog?.record(AccessLog.Entry.rejected(client: peerHost, status: status))
    }
}
