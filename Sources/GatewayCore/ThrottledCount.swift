// A once-an-interval summary of an event that can come thousands of times a second (a flood of
// connections refused at max_connections): the log gets a line with how many it stands for.
import Synchronization

/// Thread-safety: atomics only, so it is `Sendable`; every loop may record at once.
public final class ThrottledCount: Sendable {
    private let interval: UInt64
    /// When the last report was handed out (monotonic nanoseconds); 0 before the first.
    private let lastReport = Atomic<UInt64>(0)
    private let pending = Atomic<UInt64>(0)

    public init(intervalNanoseconds: UInt64 = 1_000_000_000) {
        interval = intervalNanoseconds
    }

    /// Counts one event at `now`. Returns how many events to report now (this one and those
    /// held back since the last report), or nil while the last report is under an interval old.
    /// Of loops recording at once, exactly one gets the report.
    public func record(now: UInt64) -> UInt64? {
        pending.wrappingAdd(1, ordering: .relaxed)
        let previous = lastReport.load(ordering: .relaxed)
        // A clock read a moment earlier on another loop is not an interval later.
        guard previous == 0 || (now > previous && now - previous >= interval) else { return nil }
        guard lastReport.compareExchange(expected: previous, desired: max(now, 1), ordering: .relaxed).exchanged
        else { return nil }
        return pending.exchange(0, ordering: .relaxed)
    }
}
