// hiredis's event hooks (`ac->ev`) on the loop's socket events: one SocketIO per context,
// created once and turned on and off (a Dispatch source pair, or the loop's epoll set).
import CHiredis
import Dispatch
import GatewayCore
import Glibc

/// Owns the two sources of one `redisAsyncContext` and forwards their events to hiredis.
///
/// The SocketIO watches a `dup` of hiredis's socket: hiredis closes its own fd inside
/// `redisFree`, right after `cleanup`, but a Dispatch source's fd must stay open until the
/// source's cancel handler has run, or a new socket reusing the number could be confused with
/// it. The SocketIO owns and closes the duplicate.
///
/// Lifetime: `ac->data` and `ac->ev.data` hold one retain from `attach()` until just after
/// `cleanup` (hiredis still reads `ac->data` for the disconnect callback, after cleanup).
/// The adapter holds its connection strongly, so a live context keeps the connection alive.
///
/// Thread-safety: `@unchecked Sendable`; touched only on `queue`. hiredis calls the hooks from
/// the `redisAsync*` functions, which are called only on `queue`.
final class RedisDispatchAdapter: AfterBatchWork, @unchecked Sendable {
    /// The hiredis context; nil from `cleanup` on, after which it must not be touched.
    private(set) var context: UnsafeMutablePointer<redisAsyncContext>?
    let connection: RedisConnection
    private let queue: DispatchQueue
    private var io: SocketIO!
    /// Writes wait for the end of the loop's batch of events (`SocketIO.afterBatch`), so every
    /// command queued in one batch leaves in one send, without arming and disarming write events.
    private var flushScheduled = false
    private var flushing = false
    private var writeArmed = false

    /// Nil when the socket cannot be duplicated (out of descriptors). `makeIO` runs on `queue`.
    init?(
        context: UnsafeMutablePointer<redisAsyncContext>, connection: RedisConnection, queue: DispatchQueue,
        makeIO: SocketIOFactory
    ) {
        let fd = dup(context.pointee.c.fd)
        guard fd >= 0 else { return nil }
        self.context = context
        self.connection = connection
        self.queue = queue
        io = makeIO(
            fd,
            { [weak self] in
                // hiredis may free the context in here (EOF, error); `cleanup` then clears it.
                if let context = self?.context { redisAsyncHandleRead(context) }
            },
            { [weak self] in
                if let context = self?.context { redisAsyncHandleWrite(context) }
            })
    }

    /// Fills `ac->ev` and `ac->data`. Must precede `redisAsyncSetConnectCallback`, which turns
    /// writes on to learn when the non-blocking connect finishes.
    func attach() {
        guard let context else { preconditionFailure("attach() after cleanup") }
        let me = Unmanaged.passRetained(self).toOpaque()
        context.pointee.data = me
        context.pointee.ev.data = me
        context.pointee.ev.addRead = { RedisDispatchAdapter.from($0)?.setReading(true) }
        context.pointee.ev.delRead = { RedisDispatchAdapter.from($0)?.setReading(false) }
        context.pointee.ev.addWrite = { RedisDispatchAdapter.from($0)?.setWriting(true) }
        context.pointee.ev.delWrite = { RedisDispatchAdapter.from($0)?.setWriting(false) }
        context.pointee.ev.cleanup = { RedisDispatchAdapter.from($0)?.cleanup() }
    }

    /// The adapter behind `ac->data` or `ac->ev.data`.
    static func from(_ pointer: UnsafeMutableRawPointer?) -> RedisDispatchAdapter? {
        guard let pointer else { return nil }
        return Unmanaged<RedisDispatchAdapter>.fromOpaque(pointer).takeUnretainedValue()
    }

    private func setReading(_ on: Bool) {
        guard context != nil else { return }
        io.wantRead(on)
    }

    private func setWriting(_ on: Bool) {
        guard let context else { return }
        if !on {
            if writeArmed {
                writeArmed = false
                io.wantWrite(false)
            }
            return
        }
        // While connecting, or when a flush could not write everything, wait for writability.
        let connected = context.pointee.c.flags & Int32(REDIS_CONNECTED) != 0
        if flushing || !connected {
            if !writeArmed {
                writeArmed = true
                io.wantWrite(true)
            }
            return
        }
        guard !flushScheduled else { return }
        flushScheduled = true
        io.afterBatch(self)
    }

    /// The flush `setWriting` asked for: what the batch's commands left in hiredis's buffer.
    func runAfterBatch() {
        flushScheduled = false
        guard let context else { return }
        flushing = true
        redisAsyncHandleWrite(context)
        flushing = false
    }

    /// hiredis is freeing the context: every path ends here (connect failure, lost connection,
    /// `redisAsyncFree`), after the pending callbacks got their NULL replies.
    private func cleanup() {
        guard let context else { return }
        let error = context.pointee.err != 0 ? context.pointee.errstr.map { String(cString: $0) } : nil
        self.context = nil
        io.close()
        connection.contextDidEnd(self, error: error)
        // hiredis reads `ac->data` again (disconnect callback) before `redisFree`, all within
        // the current call on this serial queue, so the retain is dropped on a later turn.
        queue.async { Unmanaged.passUnretained(self).release() }
    }
}
