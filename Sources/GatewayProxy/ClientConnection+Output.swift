// The client's side of output: flushing with the send timeout, dropping an unread body after
// a local answer, and the staged close that keeps an answer from being destroyed by an RST.
import GatewayCore
import GatewayHTTP

extension ClientConnection {
    // MARK: Writing

    func onWritable() {
        flushOutput()
    }

    /// Writes what the client takes; resumes a paused upstream, or parsing, once the queue is low.
    func flushOutput() {
        let before = output.pending
        switch output.flush(to: io.fd) {
        case .drained:
            io.wantWrite(false)
            sendDeadline = .max
            if state == .closing {
                finishClosing()
                return
            }
        case .pending:
            io.wantWrite(true)
            if output.pending < before || sendDeadline == .max {
                sendDeadline = MonotonicClock.now() &+ shared.sendTimeout
            }
        case .failed:
            if exchange != nil { logAccess() }
            close()
            return
        }
        if parsingPaused && output.pending < Self.lowWater {
            parsingPaused = false
            io.wantRead(true)
            setDeadline(input.isEmpty ? .idle : .header)
            process()
        }
        if upstreamPaused && output.pending < Self.lowWater {
            upstreamPaused = false
            upstream?.pauseReading(false)
            if state == .tunneling { tunnelUpstreamBytes() } else { resumeResponseBody() }
        }
    }

    // MARK: Dropping an unread body

    /// The answer is queued; the rest of a small body is read and dropped before the next request.
    func startDiscarding(_ decoder: HTTPBodyDecoder) {
        exchange = nil
        discard = BodyDiscard(decoder: decoder)
        state = .discarding
        setDeadline(.body)
        io.wantRead(true)
        flushOutput()
        discardBody()
    }

    func discardBody() {
        guard state == .discarding, var d = discard else { return }
        let (used, outcome) = d.feed(input.readable)
        input.consume(used)
        discard = d
        switch outcome {
        case .needMore:
            io.wantRead(true)
        case .complete:
            discard = nil
            finishExchange(keepAlive: true)
        case .tooLarge, .invalid:
            // The answer said keep-alive; ending the connection after it is still allowed.
            discard = nil
            inputUnread = true
            finishExchange(keepAlive: false)
        }
    }

    // MARK: Closing

    /// The last answer is flushed. Nothing unread: close. Otherwise stage the close: shut the
    /// write side (the client reads the answer, then EOF) and drop input until it hangs up.
    func finishClosing() {
        if !inputUnread && input.isEmpty && !Socket.hasPendingInput(io.fd) {
            close()
            return
        }
        Socket.shutdownWrite(io.fd)
        input.removeAll()
        state = .lingering
        linger = LingeringClose(now: MonotonicClock.now())
        clearDeadline()
        io.wantWrite(false)
        io.wantRead(true)
    }

    /// `n` bytes came in while lingering: they are dropped unread.
    func lingerRead(_ n: Int) {
        guard var l = linger else { preconditionFailure("lingerRead outside the staged close") }
        input.removeAll()
        if l.received(n, now: MonotonicClock.now()) == .close {
            close()
        } else {
            linger = l
        }
    }

    /// No byte moved to the client for `send_timeout`. The connection is reset rather than
    /// closed: the client stopped reading, and a FIN queued behind the unsent bytes would keep
    /// the kernel's buffers (and a dead peer's socket) alive long after.
    func sendTimedOut() {
        shared.errorLog.info(
            "client send timed out",
            metadata: ["client": .string(peerHost), "pending": .string(String(output.pending))])
        if exchange != nil { logAccess() }
        Socket.resetOnClose(io.fd)
        close()
    }

    /// Shutdown: an idle connection closes now; a busy one closes after its exchange.
    func drain() {
        if state == .awaitingHead && input.isEmpty { close() }
    }

    /// Closes at once; the upstream connection in use (if any) is closed too, never pooled.
    func close() {
        guard state != .closed else { return }
        state = .closed
        if let up = upstream {
            upstream = nil
            up.close()
        }
        exchange = nil
        linger = nil
        discard = nil
        sendDeadline = .max
        io.close()
        context.loop.unregister(self)
        shared.activeConnections.decrement()
    }
}
