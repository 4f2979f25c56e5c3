// Where a connection that follows a moving server connects: asked anew before every attempt.

/// Set on a `RedisConnection` before `start()`. `find` is called on the connection's queue and
/// must answer exactly once, on that queue, within a bounded time (it has its own timeouts).
struct RedisLocator {
    enum Located {
        case found(RedisAddress)
        case failed(String)
    }

    /// The Sentinel master name, for the logs.
    let master: String
    /// True for data connections: the server found must say `ROLE` master, and a `READONLY`
    /// reply drops the connection (the primary was demoted). False for a sentinel subscriber.
    let primaryOnly: Bool
    let find: (@escaping (Located) -> Void) -> Void
}
