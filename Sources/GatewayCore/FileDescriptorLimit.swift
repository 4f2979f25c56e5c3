// The process's open-file limit (RLIMIT_NOFILE): raised at start-up, and checked against the load.
import Glibc

public enum FileDescriptorLimit {
    /// Descriptors kept apart from connections: listeners, epoll sets, logs, Redis, libcurl.
    public static let reserve = 64

    /// Raises the soft limit to the hard one, since a soft limit of 1024 (the usual default)
    /// runs out long before `max_connections`. Returns the soft and hard limits now in force.
    @discardableResult
    public static func raiseToHard() -> (soft: UInt64, hard: UInt64) {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return (0, 0) }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            // An unlimited hard limit cannot be the soft one for files; keep what there was then.
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Descriptors `maxConnections` can use at once: each client may hold an upstream connection.
    public static func needed(maxConnections: Int) -> UInt64 {
        UInt64(maxConnections) * 2 + UInt64(reserve)
    }
}
