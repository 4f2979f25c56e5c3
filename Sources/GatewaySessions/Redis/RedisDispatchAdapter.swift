// hiredis's event hooks (`ac->ev`) on Dispatch: one read and one write source per context,
// created once and turned on and off with resume and suspend.
import CHiredis
import Dispatch
import Glibc

/// Owns the two sources of one `redisAsyncContext` and forwards their events to hiredis.
///
/// The sources watch a `dup` of hiredis's socket: hiredis closes its own fd inside
/// `redisFree`, right after `cleanup`, but a Dispatch source's fd must stay open until the
/// source's cancel handler has run, or a new socket reusing the number could be confused with
/// it. The duplicate is closed by the cancel handlers instead.
///
/// Lifetime: `ac->data` and `ac->ev.data` hold one retain from `attach()` until just after
/// `cleanup` (hiredis still reads `ac->data` for the disconnect callback, after cleanup).
/// The adapter holds its connection strongly, so a live context keeps the connection alive.
///
/// Thread-safety: `@unchecked Sendable`; touched only on `queue`. hiredis calls the hooks from
/// the `redisAsync*` functions, which are called only on `queue`.
final class RedisDispatchAdapter: @unchecked Sendable {
    /// The hiredis context; nil from `cleanup` on, after which it must not be touched.
    private(set) var context: UnsafeMutablePointer<redisAsyncContext>?
    let connection: RedisConnection
    private let queue: DispatchQueue
    private let readSource: DispatchSourceRead
    private let writeSource: DispatchSourceWrite
    private var readOn = false
    private var writeOn = false

    /// Nil when the socket cannot be duplicated (out of descriptors).
    init?(context: UnsafeMutablePointer<redisAsyncContext>, connection: RedisConnection, queue: DispatchQueue) {
        let fd = dup(context.pointee.c.fd)
        guard fd >= 0 else { return nil }
        self.context = context
        self.connection = connection
        self.queue = queue
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        readSource.setEventHandler { [weak self] in
            // hiredis may free the context in here (EOF, error); `cleanup` then clears it.
            if let context = self?.context { redisAsyncHandleRead(context) }
        }
        writeSource.setEventHandler { [weak self] in
            if let context = self?.context { redisAsyncHandleWrite(context) }
        }
        var pendingCancels = 2
        let closeWhenBothCancelled: () -> Void = {
            pendingCancels -= 1
            if pendingCancels == 0 { _ = Glibc.close(fd) }
        }
        readSource.setCancelHandler(handler: closeWhenBothCancelled)
        writeSource.setCancelHandler(handler: closeWhenBothCancelled)
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
        guard context != nil, on != readOn else { return }
        readOn = on
        if on { readSource.resume() } else { readSource.suspend() }
    }

    private func setWriting(_ on: Bool) {
        guard context != nil, on != writeOn else { return }
        writeOn = on
        if on { writeSource.resume() } else { writeSource.suspend() }
    }

    /// hiredis is freeing the context: every path ends here (connect failure, lost connection,
    /// `redisAsyncFree`), after the pending callbacks got their NULL replies.
    private func cleanup() {
        guard let context else { return }
        let error = context.pointee.err != 0 ? context.pointee.errstr.map { String(cString: $0) } : nil
        self.context = nil
        readSource.cancel()
        writeSource.cancel()
        // A suspended source runs its cancel handler only once resumed.
        if !readOn { readSource.resume() }
        if !writeOn { writeSource.resume() }
        readOn = true
        writeOn = true
        connection.contextDidEnd(self, error: error)
        // hiredis reads `ac->data` again (disconnect callback) before `redisFree`, all within
        // the current call on this serial queue, so the retain is dropped on a later turn.
        queue.async { Unmanaged.passUnretained(self).release() }
    }
}
