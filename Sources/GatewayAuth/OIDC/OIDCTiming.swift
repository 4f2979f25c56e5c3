// Clocks and intervals of an OIDC provider: production defaults, shortened or faked in tests.
import Dispatch
import Glibc

public struct OIDCTiming: Sendable {
    /// First wait after a failed discovery; doubles after each failure.
    public var discoveryInitialBackoff: Duration = .seconds(1)
    /// The longest wait between discovery attempts.
    public var discoveryMaxBackoff: Duration = .seconds(30)
    /// An unknown `kid` triggers at most one JWKS refetch per this interval.
    public var jwksMinimumRefetchInterval: Duration = .seconds(30)
    /// Tolerated clock difference with the issuer, for `exp`, `iat` and `nbf`.
    public var clockSkew: Duration = .seconds(60)
    /// Seconds since the Unix epoch, for token lifetimes.
    public var wallClock: @Sendable () -> Double = OIDCTiming.systemWallClock
    /// Nanoseconds that never go backwards, for rate limits.
    public var monotonicClock: @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }

    public init() {}

    @Sendable public static func systemWallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }

    static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        .nanoseconds(Int(clamping: nanoseconds(duration)))
    }
}
