// One client connection: reads request heads, answers locally or proxies, keeps alive.
import GatewayCore
import GatewayHTTP
import Logging

/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class ClientConnection: LoopTickable, @unchecked Sendable {
    /// `discarding`: answered, reading the rest of a small request body to keep the connection.
    /// `closing`: the last answer is being flushed. `lingering`: write side shut, input dropped.
    enum State { case awaitingHead, waiting, proxying, tunneling, discarding, closing, lingering, closed }
    enum DeadlineKind { case none, header, idle, body }

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
    /// `send_timeout`, apart from the other deadlines: it runs whenever bytes wait for the client
    /// and none move, whatever else the connection is doing (proxying, tunneling, closing).
    var sendDeadline: UInt64 = .max
    /// The request may have bytes left unread (a rejected head, a body not read): a close
    /// must then be staged (`LingeringClose`), or the kernel's RST may destroy the answer.
    var inputUnread = false
    var linger: LingeringClose?
    var discard: BodyDiscard?
    /// No new pipelined request is parsed while the client is slow to take the answers.
    var parsingPaused = false
    private var processing = false
    private(set) var requestsServed = 0
    /// Counts exchanges, so an answer from a store or provider that arrives late can tell
    /// whether the exchange it was for is still the current one.
    private(set) var exchangeSerial: UInt64 = 0

    /// The one staleness check: an answer from a store or provider is for the exchange `serial`,
    /// and applies only while that exchange is still the current one and still in `expected`
    /// (the client may have left, timed out or been answered by a deadline meanwhile).
    func isCurrent(_ serial: UInt64, in expected: State = .waiting) -> Bool {
        exchangeSerial == serial && state == expected
    }

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
            switch state {
            case .tunneling: tunnelClientBytes()
            case .discarding: discardBody()
            case .lingering: lingerRead(n)
            default: process()
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
            if output.pending >= Self.highWater {
                // Answers the gateway makes itself obey the same backpressure as proxied ones:
                // flushOutput resumes parsing below lowWater. The send timeout governs meanwhile.
                parsingPaused = true
                io.wantRead(false)
                clearDeadline()
                return
            }
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
        if let endpoint = context.endpoint, endpoint.claims(target.forwarded) {
            return answerLocally(head, target: target.forwarded, endpoint: endpoint)
        }
        switch shared.router.match(target.matchPath) {
        case nil:
            respond(LocalResponse.error(404, for: head))
        case let route?:
            guard admitUpgrade(head, route: route) else { return }
            if route.location.auth == .off {
                startProxy(head, route: route, identity: nil)
            } else {
                passGate(head, route: route)
            }
        }
    }

    /// A response of the gateway's own. A small unread request body is read and dropped after
    /// it so the connection stays open; a large one (or one the client waits to be asked for
    /// with `Expect: 100-continue`) ends the connection after the answer.
    func respond(_ response: LocalResponse) {
        guard let e = exchange else { return }
        let canDiscard = e.requestComplete || (BodyDiscard.mayFit(e.head.framing) && !e.head.expectsContinue)
        let keepAlive = e.head.keepAlive && canDiscard && !shared.isDraining
        output.append(response.serialized(keepAlive: keepAlive, isHead: e.head.methodKind == .head))
        exchange?.status = response.status
        exchange?.bytesSent = e.head.methodKind == .head ? 0 : response.body.count
        logAccess()
        if keepAlive && !e.requestComplete {
            startDiscarding(e.requestDecoder)
        } else {
            finishExchange(keepAlive: keepAlive)
        }
    }

    func respondAndClose(_ response: LocalResponse, head: HTTPRequestHead?) {
        if head == nil { inputUnread = true }  // a rejected head: what follows it is unknown
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
        if let e = exchange, !e.requestComplete { inputUnread = true }
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
            clearDeadline()
            flushOutput()
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
        }
        deadlineKind = kind
        deadline = kind == .none ? .max : MonotonicClock.now() &+ after
    }

    func clearDeadline() {
        deadlineKind = .none
        deadline = .max
    }

    func tick(now: UInt64) {
        if now >= sendDeadline {
            sendTimedOut()
            return
        }
        if let linger {
            if linger.isExpired(now: now) { close() }
            return
        }
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
            } else if state == .discarding {
                // The answer is out; a client that stopped sending its body gets a staged close.
                discard = nil
                inputUnread = true
                finishExchange(keepAlive: false)
            } else {
                close()
            }
        case .idle:
            close()
        case .none:
            break
        }
    }
}
