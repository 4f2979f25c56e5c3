// The proxied half of one exchange: where the upstream side stands, and what each of its
// outcomes means (retry, 502/504 with or without keep-alive, close mid-response, finish).
// `ExchangeMachine` owns one per exchange and turns its answers into the connection's actions.

struct ProxyMachine: Equatable {
    enum State: Equatable {
        /// Head parsed: routed, gated or answered locally by the connection.
        case routing
        /// The request is on its way upstream; no response head yet.
        case awaitingResponse
        /// The response head went to the client; its body follows.
        case streaming
        /// A checked 101: bytes both ways.
        case tunnelling
        /// The exchange has its outcome (finished, answered or closing).
        case done
    }

    enum Action: Equatable {
        /// Send the request again on a fresh connection (a reused one closed before answering).
        case retry
        /// Answer with this status (502, 504); `keepAlive` false closes after the answer, since
        /// the request body was not all read.
        case respond(status: Int, keepAlive: Bool)
        /// A response has started and cannot be finished: send what is queued, then close.
        case flushAndClose
        /// Close at once, without flushing: the response is broken off.
        case close
        /// The response is complete: the next request may follow, or the connection ends.
        case finish(keepAlive: Bool)
    }

    private(set) var state: State = .routing

    /// Whether a response head has gone to the client (the access log's upstream, no retry).
    var responseStarted: Bool {
        switch state {
        case .streaming, .tunnelling: true
        case .done: startedBeforeDone
        case .routing, .awaitingResponse: false
        }
    }

    private var startedBeforeDone = false
    /// The response was broken off after its head (the upstream closed or sent an invalid body,
    /// or the client's body was invalid): the client got less than the head promised.
    private(set) var brokenOff = false

    /// The route chose an upstream: the request is being forwarded.
    mutating func startProxy() {
        guard state == .routing else { preconditionFailure("startProxy in state \(state)") }
        state = .awaitingResponse
    }

    /// A final response head (not a 101) was forwarded to the client.
    mutating func responseHead() {
        guard state == .awaitingResponse else { preconditionFailure("a response head in state \(state)") }
        state = .streaming
    }

    /// A checked 101 turned the connection into a tunnel.
    mutating func tunnelOpened() {
        guard state == .awaitingResponse else { preconditionFailure("a 101 in state \(state)") }
        state = .tunnelling
    }

    /// The whole response was read; `keepAlive` is what the rewritten head promised the client
    /// and whether the request was all read.
    mutating func responseComplete(keepAlive: Bool) -> Action {
        guard state == .streaming else { preconditionFailure("a complete response in state \(state)") }
        end()
        return .finish(keepAlive: keepAlive)
    }

    /// The upstream failed before a response head (refused, timed out, invalid, a bad 101).
    mutating func upstreamFailed(timedOut: Bool, requestComplete: Bool) -> Action {
        guard state == .awaitingResponse else { preconditionFailure("an upstream failure in state \(state)") }
        end()
        return .respond(status: timedOut ? 504 : 502, keepAlive: requestComplete)
    }

    /// The upstream connection ended. `retryable`: the exchange allows one more try and the
    /// connection sent nothing; a timeout is never retried (the upstream may be acting on it).
    mutating func upstreamClosed(error: UpstreamError?, retryable: Bool, requestComplete: Bool) -> Action {
        switch state {
        case .awaitingResponse:
            if retryable && !(error?.isTimeout ?? false) { return .retry }
            return upstreamFailed(timedOut: error?.isTimeout ?? false, requestComplete: requestComplete)
        case .streaming, .tunnelling:
            brokenOff = state == .streaming
            end()
            return .flushAndClose
        case .routing, .done:
            preconditionFailure("an upstream close in state \(state)")
        }
    }

    /// The client's request body is invalid (`status` is the parse error's): refused and closed
    /// before a response head, broken off after one.
    mutating func requestBodyInvalid(status: Int) -> Action {
        switch state {
        case .awaitingResponse:
            end()
            return .respond(status: status, keepAlive: false)
        case .streaming:
            brokenOff = true
            end()
            return .close
        case .routing, .tunnelling, .done:
            preconditionFailure("an invalid request body in state \(state)")
        }
    }

    /// The response could not be read after its head (an invalid body).
    mutating func responseInvalid() -> Action {
        guard state == .streaming else { preconditionFailure("an invalid body in state \(state)") }
        brokenOff = true
        end()
        return .flushAndClose
    }

    private mutating func end() {
        startedBeforeDone = responseStarted
        state = .done
    }
}
