// One issuer's JWKS refetch budget, shared by every loop's key cache of that issuer.
import Synchronization

/// Each loop caches the keys on its own queue; an unknown `kid` on any loop may refetch them at
/// most once per `interval` for the whole process, so N loops do not make N refetches.
///
/// `Sendable`: the last grant sits behind a `Mutex`.
public final class RefetchLimit: Sendable {
    public let interval: UInt64
    private let lastGrant = Mutex<UInt64?>(nil)

    public init(interval: Duration) {
        self.interval = OIDCTiming.nanoseconds(interval)
    }

    /// True, and `now` (monotonic nanoseconds) remembered, when nothing was granted within
    /// `interval` before it.
    public func take(now: UInt64) -> Bool {
        lastGrant.withLock { last in
            if let last, now &- last < interval { return false }
            last = now
            return true
        }
    }
}
