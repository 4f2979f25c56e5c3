// Which generation a loop's new connections get: read by its listeners' accepts, switched by a reload.
import Dispatch

/// Thread-safety: touched only on its loop's queue (created before the loops start).
final class LoopSlot: @unchecked Sendable {
    private(set) var context: LoopContext

    init(_ context: LoopContext) { self.context = context }

    /// A reload, on this loop: `next` takes every new connection and request; idle keep-alive
    /// connections move now, busy ones when their exchange ends.
    func switchTo(_ next: LoopContext) {
        dispatchPrecondition(condition: .onQueue(next.loop.queue))
        let old = context
        context = next
        old.retire(for: next)
        for case let client as ClientConnection in next.loop.registered where client.isBetweenRequests {
            client.followReload()
        }
    }
}
