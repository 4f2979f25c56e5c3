// Something one loop's sign-in holds open (a Redis connection, the HTTP clients behind its
// providers) that successive configurations share after a reload: the last one to let go closes it.
import GatewayCore

/// Thread-safety: the count is atomic; `release` runs on the resource's loop, where `close` must run.
final class SharedResource<Value>: @unchecked Sendable {
    let value: Value
    private let users = AtomicCounter()
    private let close: (Value) -> Void

    init(_ value: Value, close: @escaping (Value) -> Void) {
        self.value = value
        self.close = close
    }

    /// One more configuration generation uses it.
    func retain() { users.increment() }

    /// A generation that used it is gone; the last one closes it.
    func release() {
        if users.decrement() == 1 { close(value) }
    }
}
