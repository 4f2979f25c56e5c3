// The machine's proxied events: the request forwarded, its body read, and each outcome of the
// upstream (a head, a 101, the end of the body, a failure, a close) turned into one action.
import GatewayCore
import GatewayHTTP

// Each event takes the exchange out (`take()`), changes it and puts it back, or hands it on in
// the action: the machine holds it only while it is the current one.
extension ExchangeMachine {
    mutating func startForwarding(_ route: Route, identity: [UInt8]?, now: UInt64) -> Action {
        guard let e = exchange.take() else { preconditionFailure("forwarding without an exchange") }
        e.route = route
        e.proxy.startProxy()
        exchange = e
        phase = .proxying
        if !e.requestComplete { setDeadline(.body, now: now) }
        return .forward(route, identity: identity)
    }

    /// The whole request is queued upstream. Reading goes on (so a pipelined request or a hang-up
    /// is seen) without consuming: the next request waits in the buffer until this exchange ends.
    mutating func requestQueued() {
        update {
            $0.requestComplete = true
            $0.requestQueued = true
        }
        clearDeadline()
    }

    /// The client's request body is invalid: refused before a response head, broken off after.
    mutating func requestBodyInvalid(_ error: HTTPParseError) -> Action {
        guard let e = exchange.take() else { preconditionFailure("a request body without an exchange") }
        let outcome = e.proxy.requestBodyInvalid(status: error.status)
        exchange = e
        if case .respond(let status, _) = outcome {
            return refuse(LocalResponse.error(status, detail: error.description, for: e.head))
        }
        return .close(logged: e)
    }

    /// A response head (a final one, or a 101). `pooling`: the upstream keeps connections alive.
    mutating func upstreamHead(_ response: HTTPResponseHead, pooling: Bool, draining: Bool, now: UInt64) -> Action {
        guard let e = exchange.take() else { preconditionFailure("a response head without an exchange") }
        e.forwardedHead = []
        if response.status == 101 {
            // A 101 opens the tunnel only as the answer to a checked handshake, with the right
            // accept. Anything else (h2c, a reflected Upgrade, a 101 to a plain request) gets
            // 502: the bytes after it would otherwise be read by nobody knows which protocol.
            guard let accept = e.websocketAccept, WebSocketHandshake.completes(response, expectedAccept: accept) else {
                exchange = e
                let why = e.websocketAccept == nil ? "101 to a request that asked for no WebSocket" : "101 without a valid WebSocket accept"
                return upstreamFailed(.io(SystemError(why, errno: 71)), draining: draining, now: now)
            }
            e.proxy.tunnelOpened()
            e.status = 101
            exchange = nil
            phase = .tunnelled
            clearDeadline()
            let head = HeadRewriter.clientResponse(
                response, clientVersion: e.head.version, keepAlive: true, upgrade: true, hsts: hsts)
            return .openTunnel(head.bytes, e)
        }
        e.proxy.responseHead()
        e.status = response.status
        e.upstreamHeadNanos = now &- e.upstreamStart
        e.upstreamKeepAlive = response.keepAlive && response.framing != .untilClose && pooling
        let rewritten = HeadRewriter.clientResponse(
            response, clientVersion: e.head.version, keepAlive: e.head.keepAlive && e.requestComplete && !draining,
            upgrade: false, hsts: hsts)
        e.clientFraming = rewritten.framing
        e.keepAlive = rewritten.keepAlive
        exchange = e
        return .writeHead(rewritten.bytes)
    }

    /// The whole response was read; `reusable`: the upstream connection has nothing left unread.
    mutating func responseComplete(upstreamReusable reusable: Bool) -> Action {
        guard let e = exchange.take() else { preconditionFailure("a complete response without an exchange") }
        let outcome = e.proxy.responseComplete(keepAlive: e.keepAlive && e.requestComplete && e.clientFraming != .untilClose)
        guard case .finish(let keepAlive) = outcome else { preconditionFailure("a complete response gave \(outcome)") }
        exchange = e
        nextRequest(keepAlive: keepAlive)
        return .finish(
            lastChunk: e.clientFraming == .chunked, poolUpstream: reusable && e.upstreamKeepAlive && e.requestComplete,
            logged: e)
    }

    /// The upstream failed before a response head: 502, or 504 for a timeout.
    mutating func upstreamFailed(_ error: UpstreamError, draining: Bool, now: UInt64) -> Action {
        guard let e = exchange.take() else { preconditionFailure("an upstream failure without an exchange") }
        let outcome = e.proxy.upstreamFailed(timedOut: error.isTimeout, requestComplete: e.requestComplete)
        exchange = e
        return failureAnswer(outcome, error: error, draining: draining, now: now)
    }

    /// The upstream connection ended. `sentNothing`: no byte of a response arrived on it.
    mutating func upstreamClosed(_ error: UpstreamError?, sentNothing: Bool, draining: Bool, now: UInt64) -> Action {
        guard let e = exchange.take() else { preconditionFailure("an upstream close without an exchange") }
        let outcome = e.proxy.upstreamClosed(
            error: error, retryable: e.canRetry && sentNothing, requestComplete: e.requestComplete)
        switch outcome {
        case .retry:
            e.retried = true
            exchange = e
            return .retry
        case .respond:
            exchange = e
            return failureAnswer(outcome, error: error ?? .io(SystemError("recv", errno: 104)), draining: draining, now: now)
        case .flushAndClose:
            exchange = e
            return endBroken()
        case .finish, .close:
            preconditionFailure("an upstream close gave \(outcome)")
        }
    }

    /// The response could not be read after its head (an invalid body).
    mutating func responseInvalid() -> Action {
        guard let e = exchange.take() else { preconditionFailure("an invalid body without an exchange") }
        _ = e.proxy.responseInvalid()
        exchange = e
        return endBroken()
    }

    /// A response that cannot be finished properly: what is queued is sent, then the close.
    private mutating func endBroken() -> Action {
        let e = exchange
        nextRequest(keepAlive: false)
        return .flushAndClose(logged: e)
    }

    private mutating func failureAnswer(
        _ outcome: ProxyMachine.Action, error: UpstreamError, draining: Bool, now: UInt64
    ) -> Action {
        guard let e = exchange, case .respond(let status, let keepAlive) = outcome else {
            preconditionFailure("an upstream failure answered with \(outcome)")
        }
        let response = LocalResponse.error(status, for: e.head)
        let then = keepAlive ? answer(response, draining: draining, now: now) : refuse(response)
        return .upstreamFailed(error, status: status, then: then)
    }
}
