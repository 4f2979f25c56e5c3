// `store redis-sentinel://...`: the sentinels to ask, the primary they watch, and the database.

/// Where a Sentinel-managed Redis is found. The gateway asks the sentinels in the order given
/// for the primary's address, checks it with `ROLE`, and follows `+switch-master`.
public struct SentinelStoreConfig: Sendable, Hashable {
    /// The port a sentinel listens on when the URL names none.
    public static let defaultPort = 26379

    /// In the order the URL lists them: at least one, no repeats.
    public var sentinels: [RedisNodeAddress]
    /// The name the sentinels monitor the primary under (`sentinel monitor NAME ...`).
    public var master: String
    public var database: Int
    /// Sent with AUTH to the sentinels and to the data nodes alike: with a password, every
    /// sentinel needs the same `requirepass` as the primary and its replicas.
    public var password: String?

    public init(sentinels: [RedisNodeAddress], master: String, database: Int = 0, password: String? = nil) {
        self.sentinels = sentinels
        self.master = master
        self.database = database
        self.password = password
    }
}
