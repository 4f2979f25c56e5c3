// The one injectable clock: wall seconds for records and cookies, monotonic time for TTLs.
import Glibc
import Synchronization

/// What stores and sign-in read the time from. Deadlines on the hot path read
/// `MonotonicClock.now()` directly; everything that stamps or expires records takes a clock,
/// so tests move time forward instead of sleeping.
public protocol WallClock: Sendable {
    /// Unix seconds, for `createdAt`, `expiresAt`, cookie ages.
    func unixSeconds() -> Int64
    /// Nanoseconds on a clock that never jumps back, for in-memory TTLs.
    func monotonicNanoseconds() -> UInt64
}

extension WallClock {
    public func monotonicMilliseconds() -> UInt64 { monotonicNanoseconds() / 1_000_000 }
}

/// The machine's clocks.
public struct SystemClock: WallClock {
    public init() {}

    /// CLOCK_REALTIME, not `time()`: glibc serves that from the coarse clock, which can lag a
    /// second behind everyone else's around a tick.
    public func unixSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }

    public func monotonicNanoseconds() -> UInt64 { MonotonicClock.now() }
}

/// A clock that moves only when told to: both readings advance together.
///
/// Thread-safety: `Sendable`; the time sits behind a `Mutex`.
public final class ManualClock: WallClock {
    private let state: Mutex<(seconds: Int64, nanoseconds: UInt64)>

    public init(unixSeconds: Int64 = 1_800_000_000) {
        state = Mutex((unixSeconds, 1_000_000_000))
    }

    public func unixSeconds() -> Int64 { state.withLock { $0.seconds } }
    public func monotonicNanoseconds() -> UInt64 { state.withLock { $0.nanoseconds } }

    /// Moves both readings forward by `seconds`.
    public func advance(seconds: Int64) {
        state.withLock {
            $0.seconds += seconds
            $0.nanoseconds += UInt64(seconds) * 1_000_000_000
        }
    }
}
