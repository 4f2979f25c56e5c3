// `store redis-cluster://[:password@]host:port,host:port,.../;`: the seed nodes of a Redis
// Cluster (any of them will do; the gateway learns every primary from CLUSTER SLOTS).

extension ConfigValidator {
    static let clusterStoreForm = "redis-cluster://[:password@]host:port,host:port,.../"

    /// The password is everything between `redis-cluster://:` and the last `@`, as written
    /// (the same for every node: a cluster's nodes share `requirepass`). No database: a
    /// cluster has only database 0.
    mutating func clusterStore(_ arg: ConfigArgument) -> SessionStoreConfig? {
        let item = "session"
        var rest = arg.value.dropFirst("redis-cluster://".count)
        let (password, valid) = takeRedisPassword(&rest, example: "redis-cluster://:PASSWORD@host:port", arg)
        guard valid else { return nil }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        if path.count > 1 {
            error(
                arg.location, item,
                "\"store\": a Redis Cluster has only database 0, so a cluster URL takes no database (remove \"\(path)\")"
            )
            return nil
        }
        var nodes: [RedisNodeAddress] = []
        for text in authority.split(separator: ",", omittingEmptySubsequences: false) {
            switch ConfigValues.hostPort(String(text), defaultPort: ConfigDefaults.redisPort) {
            case .success(let parsed) where ConfigValues.isValidHost(parsed.host, bracketed: parsed.bracketed):
                let node = RedisNodeAddress(host: parsed.host, port: parsed.port)
                if nodes.contains(node) {
                    error(arg.location, item, "\"store\" lists the cluster node \"\(text)\" twice")
                    return nil
                }
                nodes.append(node)
            case .failure(.invalidPort):
                error(arg.location, item, "\"store\" cluster node \"\(text)\" has an invalid port (must be 1-65535)")
                return nil
            default:
                let shown = text.isEmpty ? "an empty node" : "\"\(text)\""
                error(arg.location, item, "\"store\" must be \"\(Self.clusterStoreForm)\", got \(shown) among the nodes")
                return nil
            }
        }
        return .redisCluster(nodes: nodes, password: password)
    }
}
