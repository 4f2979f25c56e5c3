// A small lock-free counter shared across loops (connection counts, ids).
import Synchronization

public final class AtomicCounter: Sendable {
    private let value: Atomic<UInt64>

    public init(_ initial: UInt64 = 0) {
        value = Atomic(initial)
    }

    /// Adds one and returns the value before.
    @discardableResult
    public func increment() -> UInt64 {
        value.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    @discardableResult
    public func decrement() -> UInt64 {
        value.wrappingSubtract(1, ordering: .relaxed).oldValue
    }

    public func load() -> UInt64 {
        value.load(ordering: .relaxed)
    }
}
