// The two clocks stores need: wall seconds for records, monotonic milliseconds for TTLs.
import Dispatch
import Glibc

enum StoreClock {
    /// Unix seconds, for `createdAt`, `expiresAt`, `linked_at`. Not `time()`: glibc serves it
    /// from the coarse clock, which can lag a second behind everyone else's around a tick.
    static func unixSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }

    /// Milliseconds on a clock that never jumps, for in-memory TTLs.
    static func monotonicMilliseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }
}
