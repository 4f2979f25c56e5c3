// A boolean shared across threads, for states one loop sets and another reads (e.g. Redis up).
import Synchronization

public final class AtomicFlag: Sendable {
    private let value: Atomic<Bool>

    public init(_ initial: Bool = false) {
        value = Atomic(initial)
    }

    public func set(_ on: Bool) { value.store(on, ordering: .relaxed) }
    public var isSet: Bool { value.load(ordering: .relaxed) }
}
