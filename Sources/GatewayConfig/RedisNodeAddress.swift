// A Redis server named in a store URL: a cluster's seed node or a sentinel.

public struct RedisNodeAddress: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
