// How often a repeated failure is logged: the first at once, then at most once per interval,
// with how many went unlogged since, so an outage under load is a few lines, not one a request.

/// Plain state, owned by one loop. Times are monotonic nanoseconds.
struct ReportInterval {
    let intervalNanos: UInt64
    private var lastReport: UInt64?
    private var suppressed = 0

    init(seconds: UInt64) { intervalNanos = seconds * 1_000_000_000 }

    /// Nil: stay quiet (counted). Otherwise log now, saying how many were left out before it.
    mutating func report(now: UInt64) -> Int? {
        if let last = lastReport, now &- last < intervalNanos {
            suppressed += 1
            return nil
        }
        lastReport = now
        defer { suppressed = 0 }
        return suppressed
    }
}
