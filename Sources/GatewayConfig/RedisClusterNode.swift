// One seed node of `store redis-cluster://...;`.

public struct RedisClusterNode: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
