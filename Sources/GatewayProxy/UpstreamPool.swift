// Idle keep-alive connections to each upstream server, per event loop.

/// Thread-safety: one pool per loop, touched only on that loop's queue.
final class UpstreamPool {
    /// Idle connections by upstream index, then server index; most recently used last.
    private var idle: [[[UpstreamConnection]]]
    private var nextServer: [Int]
    private let targets: [UpstreamTarget]
    /// A reload replaced this pool's generation: nothing is kept any more.
    private var retired = false

    init(targets: [UpstreamTarget]) {
        self.targets = targets
        idle = targets.map { Array(repeating: [], count: $0.servers.count) }
        nextServer = Array(repeating: 0, count: targets.count)
    }

    /// Round robin over an upstream's servers.
    func chooseServer(upstream: Int) -> Int {
        let count = targets[upstream].servers.count
        let server = nextServer[upstream] % count
        nextServer[upstream] = (server + 1) % count
        return server
    }

    /// The most recently used idle connection to that server, if any.
    func take(upstream: Int, server: Int) -> UpstreamConnection? {
        idle[upstream][server].popLast()
    }

    /// Keeps a connection for reuse, or closes it when the pool is full.
    func release(_ connection: UpstreamConnection) {
        let (u, s) = (connection.upstreamIndex, connection.serverIndex)
        guard !retired, idle[u][s].count < targets[u].keepalive else {
            connection.close()
            return
        }
        connection.becomeIdle()
        idle[u][s].append(connection)
    }

    /// Forgets an idle connection that closed (the upstream hung up or its idle time ran out).
    func remove(_ connection: UpstreamConnection) {
        let (u, s) = (connection.upstreamIndex, connection.serverIndex)
        idle[u][s].removeAll { $0 === connection }
    }

    /// Closes every idle connection (shutdown).
    func closeAll() {
        let all = idle.flatMap { $0.flatMap { $0 } }
        idle = targets.map { Array(repeating: [], count: $0.servers.count) }
        for connection in all { connection.close() }
    }
}

extension UpstreamPool {
    /// A reload: closes the idle connections, and every later release closes instead of pooling.
    func retire() {
        retired = true
        closeAll()
    }
}
