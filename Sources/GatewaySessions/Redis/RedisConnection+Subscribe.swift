// A connection that only listens: SUBSCRIBE to one channel after every (re)connect.
import CHiredis

extension RedisConnection {
    /// Makes this connection a subscriber to `channel` (call before `start()`, on `queue`).
    /// After each connect and handshake it subscribes, and only once Redis confirms does
    /// `onConnectionChange(true)` fire: from then on every message published on the channel
    /// reaches `onMessage` with its payload, on `queue`, until the connection is lost (which
    /// `onConnectionChange(false)` says; messages published meanwhile are not delivered).
    /// A subscribed connection takes no other commands: `send` fails with `.unavailable`.
    public func subscribe(to channel: [UInt8], onMessage: @escaping ([UInt8]) -> Void) {
        subscription = Subscription(channel: channel, onMessage: onMessage)
    }

    /// SUBSCRIBE with its own callback, which hiredis keeps for the channel and calls for the
    /// confirmation and then for every message (a NULL reply when the context goes away).
    func sendSubscribe(on context: UnsafeMutablePointer<redisAsyncContext>) {
        guard let subscription else { return }
        let status = Self.withArgv([Array("SUBSCRIBE".utf8), subscription.channel]) { argc, argv, lengths in
            redisAsyncCommandArgv(
                context,
                { context, reply, _ in
                    guard let context, let adapter = RedisDispatchAdapter.from(context.pointee.data) else { return }
                    adapter.connection.didReceivePush(reply?.assumingMemoryBound(to: redisReply.self))
                }, nil, argc, argv, lengths)
        }
        if status != REDIS_OK { abandon("SUBSCRIBE could not be sent") }
    }

    /// `["subscribe", channel, count]` once, then `["message", channel, payload]` per message.
    private func didReceivePush(_ reply: UnsafeMutablePointer<redisReply>?) {
        guard let reply, case .array(let parts)? = RedisValue(reply: reply), parts.count == 3,
            case .string(let kind) = parts[0]
        else { return }
        switch kind {
        case Array("subscribe".utf8):
            if phase == .handshaking { becomeReady() }
        case Array("message".utf8):
            if case .string(let payload) = parts[2] { subscription?.onMessage(payload) }
        default: break
        }
    }
}
