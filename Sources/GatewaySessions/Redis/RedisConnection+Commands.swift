// Sending commands: binary-safe argv into hiredis, replies back to completions in order,
// and one timer for every command's timeout.
import CHiredis
import Dispatch

extension RedisConnection {
    /// Sends one command; `completion` runs on `queue` exactly once. Fails at once with
    /// `.unavailable` while not connected (nothing is queued while down), and with `.timeout`
    /// when no reply comes within the command timeout. A server error reply is
    /// `.replyError(message)`. Call on `queue`.
    ///
    /// Not for SUBSCRIBE, MONITOR or blocking commands: one connection carries every command
    /// of its loop, in order.
    public func send(_ args: [[UInt8]], completion: @escaping (Result<RedisValue, RedisError>) -> Void) {
        send(args, reusing: nil, completion: completion)
    }

    /// `send`; a bulk string reply with the bytes of `known` is delivered as `known` itself
    /// (`RedisClient.send(_:reusing:completion:)`).
    public func send(
        _ args: [[UInt8]], reusing known: [UInt8]?, completion: @escaping (Result<RedisValue, RedisError>) -> Void
    ) {
        #if DEBUG
            dispatchPrecondition(condition: .onQueue(queue))
        #endif
        guard isConnected, phase == .ready, subscription == nil, let context = adapter?.context else {
            completion(.failure(.unavailable))
            return
        }
        guard !args.isEmpty else {
            completion(.failure(.protocolError))
            return
        }
        enqueue(args, on: context, reusing: known, completion: completion)
    }

    /// `send` with UTF-8 text arguments.
    public func send(_ args: [String], completion: @escaping (Result<RedisValue, RedisError>) -> Void) {
        send(args.map { Array($0.utf8) }, completion: completion)
    }

    /// Hands the command to hiredis and remembers its completion. The command id travels as
    /// hiredis's privdata, so no allocation is retained per command.
    func enqueue(
        _ args: [[UInt8]], on context: UnsafeMutablePointer<redisAsyncContext>, reusing known: [UInt8]? = nil,
        completion: @escaping RedisPendingQueue.Completion
    ) {
        lastCommandID = lastCommandID == UInt.max ? 1 : lastCommandID + 1
        let id = lastCommandID
        let status = Self.withArgv(args) { argc, argv, lengths in
            redisAsyncCommandArgv(
                context,
                { context, reply, privdata in
                    guard let context, let adapter = RedisDispatchAdapter.from(context.pointee.data) else { return }
                    adapter.connection.didReceive(
                        reply?.assumingMemoryBound(to: redisReply.self), id: UInt(bitPattern: privdata))
                }, UnsafeMutableRawPointer(bitPattern: id), argc, argv, lengths)
        }
        guard status == REDIS_OK else {
            // hiredis refuses new commands while it tears the connection down.
            completion(.failure(.unavailable))
            return
        }
        pending.append(
            id: id, deadline: DispatchTime.now().uptimeNanoseconds + commandTimeout, known: known, completion: completion)
        if timerDeadline == nil { armTimer() }
    }

    /// A reply (or NULL when the connection is going away) for command `id`.
    private func didReceive(_ reply: UnsafeMutablePointer<redisReply>?, id: UInt) {
        guard let reply else {
            // hiredis is draining its callbacks before freeing the context: say so at once,
            // so completions that send again fail fast instead of touching a dying context.
            isConnected = false
            pending.popFirst(id: id)?(.failure(.unavailable))
            return
        }
        let known = pending.firstKnown
        guard let completion = pending.popFirst(id: id) else { return }  // it timed out already
        switch RedisValue(reply: reply, reusing: known) {
        case .error(let message)?:
            completion(.failure(.replyError(message)))
            // The primary this connection found was turned into a replica: find the new one.
            if locator?.primaryOnly == true, message.hasPrefix("READONLY") { abandon("the primary became a replica") }
        case let value?: completion(.success(value))
        case nil: completion(.failure(.protocolError))
        }
    }

    // MARK: Timeouts

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    private func armTimer() {
        guard let deadline = pending.nextDeadline, phase != .closed else {
            timerDeadline = nil
            return
        }
        let timer: DispatchSourceTimer
        if let existing = self.timer {
            timer = existing
        } else {
            timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [weak self] in self?.timerFired() }
            timer.resume()
            self.timer = timer
        }
        timer.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline), leeway: .milliseconds(10))
        timerDeadline = deadline
    }

    private func timerFired() {
        timerDeadline = nil
        let due = pending.expire(now: DispatchTime.now().uptimeNanoseconds)
        for completion in due { completion(.failure(.timeout)) }
        if !due.isEmpty {
            // Replies come in order, so everything behind a stuck reply is stuck too: drop the
            // connection, fail the rest at once, and let a fresh connection take over.
            abandon("a command timed out")
        }
        if timerDeadline == nil { armTimer() }
    }

    // MARK: Argument marshalling

    /// Copies the arguments into one scratch buffer, with the pointer and length arrays that
    /// `redisAsyncCommandArgv` wants (it copies them into its output buffer before returning).
    static func withArgv<R>(
        _ args: [[UInt8]], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        let total = args.reduce(0) { $0 + $1.count }
        return withUnsafeTemporaryAllocation(byteCount: max(total, 1), alignment: 1) { storage in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: args.count) { pointers in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: args.count) { lengths in
                    let base = storage.baseAddress!
                    var offset = 0
                    for (i, arg) in args.enumerated() {
                        arg.withUnsafeBytes { bytes in
                            if let source = bytes.baseAddress {
                                (base + offset).copyMemory(from: source, byteCount: bytes.count)
                            }
                        }
                        pointers[i] = UnsafePointer((base + offset).assumingMemoryBound(to: CChar.self))
                        lengths[i] = arg.count
                        offset += arg.count
                    }
                    return body(Int32(args.count), pointers.baseAddress!, UnsafePointer(lengths.baseAddress!))
                }
            }
        }
    }
}
