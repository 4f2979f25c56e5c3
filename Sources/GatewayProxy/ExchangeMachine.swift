// One client connection's exchanges as a state machine: events go in (head parsed, client
// bytes, gate decision, local answer, upstream head and end, output drained, deadline) and an
// action comes out for `ClientConnection` to perform. The machine does no I/O; the phase it
// is left in says what the connection does next (read a head, drop a body, flush and close).

struct ExchangeMachine {
    enum Phase: Equatable {
        /// Between requests: the next head is read (or awaited).
        case awaitingHead
        /// The gate or the local endpoint is deciding; their answer may come later.
        case waiting
        /// The request goes upstream, and then its response comes back.
        case proxying
        /// Answered; the rest of a small request body is read and dropped.
        case discarding
        /// A local endpoint's small request body is read before it is asked.
        case collecting
        /// The last answer is being flushed; then the connection closes.
        case closing
        /// A 101 handed the socket to a tunnel.
        case tunnelled
    }

    enum DeadlineKind: Equatable { case none, header, idle, body }

    struct Timeouts {
        var header: UInt64
        var idle: UInt64
        var body: UInt64
    }

    enum Action {
        case none
        /// Write `response` (`keepAlive` as its head says), log `logged` (or a line for a
        /// rejected head when nil), end any upstream, then go on in the new phase.
        case answer(LocalResponse, keepAlive: Bool, logged: Exchange?)
        case askEndpoint(LocalEndpoint)
        /// Read the body for a local endpoint (`collected`); first `100 Continue` if asked for.
        case collectBody(sendContinue: Bool)
        case askGate(Route)
        /// Forward the exchange's request to its route's upstream, with this identity block.
        case forward(Route, identity: [UInt8]?)
        /// Send the request again on a fresh connection.
        case retry
        /// The client's side of a final response head is ready: write it.
        case writeHead([UInt8])
        /// A checked 101: write this head, hand the socket to a tunnel.
        case openTunnel([UInt8], Exchange)
        /// The response is complete: the terminating chunk if `lastChunk`, the upstream back to
        /// the pool if `poolUpstream` (else closed), the line logged, then on in the new phase.
        case finish(lastChunk: Bool, poolUpstream: Bool, logged: Exchange)
        /// Send what is queued, then close; the upstream is closed; `logged` is written.
        case flushAndClose(logged: Exchange?)
        /// Close at once, after logging `logged`.
        case close(logged: Exchange?)
        /// The upstream failed (`status` is the answer's): log it, then do `then`.
        indirect case upstreamFailed(UpstreamError, status: Int, then: Action)
        /// No I/O of its own: go on in the new phase.
        case proceed
    }

    /// A reload may change them between requests (`ClientConnection.followReload`).
    var timeouts: Timeouts
    /// `Strict-Transport-Security: ...\r\n`, added to proxied responses that carry none.
    var hsts: [UInt8]?
    // `phase`, `exchange` and `discard` are set only by the machine's events (this file and
    // +Upstream); the connection changes the exchange's own data through `update`.
    var phase: Phase = .awaitingHead
    /// The current exchange: from its head to its answer.
    var exchange: Exchange?
    /// Counts exchanges, so a late answer can tell whether its exchange is still the current one.
    private(set) var serial: UInt64 = 0
    private(set) var deadlineKind: DeadlineKind = .header
    private(set) var deadline: UInt64
    /// The request may have bytes left unread (a rejected head, a body not read): the close must
    /// then be staged, or the kernel's RST may destroy the answer.
    private(set) var inputUnread = false
    var discard: BodyDiscard?
    /// While collecting: the endpoint that asked for the body (ExchangeMachine+Collect).
    var collectingFor: LocalEndpoint?

    init(timeouts: Timeouts, hsts: [UInt8]? = nil, now: UInt64) {
        self.timeouts = timeouts
        self.hsts = hsts
        deadline = now &+ timeouts.header
    }

    /// The one staleness check: an answer for exchange `serial` applies only while it is current
    /// and still waiting for that answer (the client may have left or been answered meanwhile).
    func isCurrent(_ serial: UInt64) -> Bool { self.serial == serial && phase == .waiting }

    /// Only the connection's own data (counts, timings, the session) is changed through this.
    mutating func update(_ change: (inout Exchange) -> Void) {
        guard exchange != nil else { return }
        change(&exchange!)
    }

    // MARK: Client events

    /// A request head parsed; `decision` is what routing made of it.
    mutating func headParsed(_ e: Exchange, decision: RouteDecision, draining: Bool, now: UInt64) -> Action {
        guard phase == .awaitingHead else { preconditionFailure("a head in phase \(phase)") }
        serial &+= 1
        exchange = e
        clearDeadline()
        switch decision {
        case .answer(let response): return answer(response, draining: draining, now: now)
        case .refuse(let response): return refuse(response)
        case .local(let endpoint):
            let limit = e.requestComplete ? 0 : endpoint.bodyLimit(e.head, target: e.target?.forwarded ?? [])
            if limit > 0 { return startCollecting(for: endpoint, limit: limit, now: now) }
            phase = .waiting
            return .askEndpoint(endpoint)
        case .gate(let route):
            phase = .waiting
            return .askGate(route)
        case .proxy(let route): return startForwarding(route, identity: nil, now: now)
        }
    }

    /// The head could not be parsed: 4xx, and the connection closes after it.
    mutating func headInvalid(_ error: LocalResponse) -> Action {
        inputUnread = true  // what follows a rejected head is unknown
        phase = .closing
        clearDeadline()
        return .answer(error, keepAlive: false, logged: nil)
    }

    /// Part of a head is buffered: an idle connection now runs the header timeout.
    mutating func partialHead(now: () -> UInt64) {
        if deadlineKind == .idle { setDeadline(.header, now: now()) }
    }

    /// Any bytes from the client: a body timeout restarts (the clock is read only then).
    mutating func clientBytes(now: () -> UInt64) {
        if deadlineKind == .body { setDeadline(.body, now: now()) }
    }

    /// Parsing pauses while the client is slow to take answers; the send timeout governs.
    mutating func parsingPaused() { clearDeadline() }

    /// Waiting for the next head: the idle timeout when nothing is buffered, else the header one.
    mutating func awaitHead(inputEmpty: Bool, now: UInt64) {
        setDeadline(inputEmpty ? .idle : .header, now: now)
    }

    /// The local endpoint answered.
    mutating func localAnswer(_ response: LocalResponse, draining: Bool, now: UInt64) -> Action {
        guard phase == .waiting else { preconditionFailure("a local answer in phase \(phase)") }
        return answer(response, draining: draining, now: now)
    }

    mutating func gateDecided(_ decision: GateDecision, route: Route, draining: Bool, now: UInt64) -> Action {
        guard phase == .waiting else { preconditionFailure("a gate decision in phase \(phase)") }
        switch decision {
        case .answer(let response): return answer(response, draining: draining, now: now)
        case .allow(let identity, let session):
            exchange?.session = session  // a tunnel re-checks it while open
            return startForwarding(route, identity: identity, now: now)
        }
    }

    /// Drops what of `bytes` belongs to the unread body of an answered request; returns how many.
    mutating func discarded(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard phase == .discarding, var d = discard else { preconditionFailure("discarding in phase \(phase)") }
        let (used, outcome) = d.feed(bytes)
        discard = d
        switch outcome {
        case .needMore: break
        case .complete: nextRequest(keepAlive: true)
        case .tooLarge, .invalid:
            // The answer said keep-alive; ending the connection after it is still allowed.
            inputUnread = true
            nextRequest(keepAlive: false)
        }
        return used
    }

    /// The client hung up or failed.
    mutating func clientEnded() -> Action {
        guard phase == .proxying, let e = exchange else { return .close(logged: nil) }
        if !e.responseHeadDone { e.status = 499 }
        return .close(logged: e)
    }

    /// The client's write queue emptied: a closing connection may now close.
    var closesWhenDrained: Bool { phase == .closing }

    // MARK: Deadlines

    mutating func tick(now: UInt64, inputEmpty: Bool) -> Action {
        guard now >= deadline else { return .none }
        switch deadlineKind {
        case .header:
            guard !inputEmpty else { return .close(logged: nil) }
            return headInvalid(LocalResponse.error(408, for: nil))
        case .body:
            if let e = exchange, !e.responseHeadDone { return refuse(LocalResponse.error(408, for: e.head)) }
            guard phase == .discarding else { return .close(logged: nil) }
            // The answer is out; a client that stopped sending its body gets a staged close.
            inputUnread = true
            nextRequest(keepAlive: false)
            return .proceed
        case .idle: return .close(logged: nil)
        case .none: return .none
        }
    }

    mutating func setDeadline(_ kind: DeadlineKind, now: UInt64) {
        deadlineKind = kind
        switch kind {
        case .none: deadline = .max
        case .header: deadline = now &+ timeouts.header
        case .idle: deadline = now &+ timeouts.idle
        case .body: deadline = now &+ timeouts.body
        }
    }

    mutating func clearDeadline() { setDeadline(.none, now: 0) }

    // MARK: Answers and endings

    /// A response of the gateway's own. A small unread request body is read and dropped after
    /// it so the connection stays open; a large one (or one the client waits to be asked for
    /// with `Expect: 100-continue`) ends the connection after the answer.
    mutating func answer(_ response: LocalResponse, draining: Bool, now: UInt64) -> Action {
        guard let e = exchange else { preconditionFailure("an answer without an exchange") }
        let canDiscard = e.requestComplete || (BodyDiscard.mayFit(e.head.framing) && !e.head.expectsContinue)
        let keepAlive = e.head.keepAlive && canDiscard && !draining
        e.status = response.status
        e.bytesSent = e.head.methodKind == .head ? 0 : response.body.count
        if keepAlive && !e.requestComplete {
            exchange = nil
            discard = BodyDiscard(decoder: e.requestDecoder)
            phase = .discarding
            setDeadline(.body, now: now)
        } else {
            nextRequest(keepAlive: keepAlive)
        }
        return .answer(response, keepAlive: keepAlive, logged: e)
    }

    /// An answer after which the connection closes.
    mutating func refuse(_ response: LocalResponse) -> Action {
        guard let e = exchange else { return headInvalid(response) }
        e.status = response.status
        nextRequest(keepAlive: false)
        return .answer(response, keepAlive: false, logged: e)
    }

    /// Ends the current exchange: the next request is awaited (the connection then sets the idle
    /// or header timeout, as its buffer says), or the connection closes.
    mutating func nextRequest(keepAlive: Bool) {
        if let e = exchange, !e.requestComplete { inputUnread = true }
        exchange = nil
        discard = nil
        if keepAlive && !inputUnread {
            phase = .awaitingHead
            clearDeadline()
        } else {
            phase = .closing
            clearDeadline()
        }
    }

    /// Shutdown: whether the connection is idle and may close now.
    func isIdle(inputEmpty: Bool) -> Bool { phase == .awaitingHead && inputEmpty }

    /// Shutdown began: a connection between requests takes no next one.
    mutating func drain() {
        if phase == .awaitingHead { phase = .closing }
    }
}
