// A real Redis Cluster on loopback: three primaries and three replicas (Debian's redis-server
// with --cluster-enabled yes), made with `redis-cli --cluster create`, stopped by PID.
import Foundation

/// Thread-safety: used from the test thread only (`cli` may run from any thread).
public final class RedisClusterFixture: @unchecked Sendable {
    public let ports: [Int]
    public let directory: URL
    /// `requirepass` (and `masterauth`) on every node, when set.
    public let password: String?
    private var servers: [Int: FixtureProcess] = [:]
    /// Nodes ended by `kill`, kept for their logs.
    private var killed: [Int: FixtureProcess] = [:]
    /// Short, so that a killed primary's replica takes over within a few seconds.
    public static let nodeTimeoutMilliseconds = 1_500

    /// Starts `count` nodes and makes a cluster with one replica per primary.
    public init(count: Int = 6, password: String? = nil) throws {
        self.password = password
        var ports: [Int] = []
        while ports.count < count {
            let port = try LoopbackPort.unused()
            // The cluster bus listens on port + 10000; both must be free.
            if port < 55_000, !ports.contains(port) { ports.append(port) }
        }
        self.ports = ports
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            for port in ports { try startNode(port) }
            let create =
                ["--cluster", "create"] + ports.map { "127.0.0.1:\($0)" } + [
                    "--cluster-replicas", "1", "--cluster-yes",
                ]
            let output = try Self.cli(port: ports[0], create, password: password, timeout: 60)
            guard output.contains("[OK] All 16384 slots covered") else {
                throw TestFailure("redis-cli --cluster create failed:\n\(output)")
            }
            try waitForState(ok: true, timeout: 30)
            try waitForReplicas(timeout: 30)
        } catch {
            stop()
            throw error
        }
    }

    private func startNode(_ port: Int) throws {
        let dir = directory.appendingPathComponent("\(port)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let server = try FixtureProcess(
            executable: "/usr/bin/redis-server",
            arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file",
                dir.appendingPathComponent("nodes.conf").path, "--cluster-node-timeout",
                String(Self.nodeTimeoutMilliseconds), "--dir", dir.path, "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "notice",
                // A replica whose link to its primary was down for a while still takes over: the
                // tests kill primaries on a loaded machine, where a link can lag for seconds.
                "--cluster-replica-validity-factor", "0",
            ] + (password.map { ["--requirepass", $0, "--masterauth", $0] } ?? []), directory: dir,
            name: "redis-\(port)")
        servers[port] = server
        try server.waitFor("redis-server on \(port)", timeout: 10, in: { "" }) { _ in
            (try? Self.cli(port: port, ["PING"], password: password))?.contains("PONG") == true ? true : nil
        }
    }

    /// Waits until every running node says `cluster_state:ok` (or, `ok` false, any says not).
    public func waitForState(ok: Bool, timeout: TimeInterval) throws {
        let done = waitUntil(timeout: timeout, interval: 0.1) {
            let states = servers.keys.map { (try? Self.cli(port: $0, ["CLUSTER", "INFO"], password: password)) ?? "" }
            return ok ? states.allSatisfy { $0.contains("cluster_state:ok") } : true
        }
        if !done { throw TestFailure("the cluster did not reach cluster_state:ok in \(timeout)s") }
    }

    /// Waits until every primary that serves slots has a replica whose link is up and in sync
    /// (`redis-cli --cluster create` returns before the replicas' first full sync ends).
    public func waitForReplicas(timeout: TimeInterval) throws {
        let done = waitUntil(timeout: timeout, interval: 0.1) {
            guard let primaries = try? self.primaries(), !primaries.isEmpty else { return false }
            return primaries.allSatisfy { port in
                let info = (try? Self.cli(port: port, ["INFO", "replication"], password: self.password)) ?? ""
                return info.contains("state=online")
            }
        }
        if !done { throw TestFailure("not every primary had an online replica in \(timeout)s\n\(diagnostics())") }
    }

    /// What every node, running or killed, says about the cluster: CLUSTER NODES, its replication
    /// state, and the end of its log. For a failure message.
    public func diagnostics() -> String {
        var out = ""
        for port in servers.keys.sorted() {
            let nodes = (try? Self.cli(port: port, ["CLUSTER", "NODES"], password: password, timeout: 2)) ?? "?"
            let replication = (try? Self.cli(port: port, ["INFO", "replication"], password: password, timeout: 2)) ?? "?"
            out += "--- node \(port)\n\(nodes)\(replication.split(separator: "\r\n").prefix(8).joined(separator: " "))\n"
        }
        for (port, server) in servers.merging(killed, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key < $1.key }) {
            let log = (server.stdout + server.stderr).split(separator: "\n").suffix(25).joined(separator: "\n")
            out += "--- log of \(port)\(killed[port] != nil ? " (killed)" : "")\n\(log)\n"
        }
        return out
    }

    /// The running primaries that serve slots, from CLUSTER NODES as the first running node sees
    /// it (a line with slot ranges after its 8 fixed fields).
    public func primaries() throws -> [Int] {
        let asking = servers.keys.sorted()[0]
        let nodes = try Self.cli(port: asking, ["CLUSTER", "NODES"], password: password)
        return nodes.split(separator: "\n").compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            guard fields.count > 8, fields[2].contains("master"), !fields[2].contains("fail"),
                let port = fields[1].split(separator: "@").first?.split(separator: ":").last.flatMap({ Int($0) }),
                servers[port] != nil
            else { return nil }
            return port
        }.sorted()
    }

    /// The primary that serves `slot`.
    public func owner(ofSlot slot: Int) throws -> Int? {
        let asking = servers.keys.sorted()[0]
        let text = try Self.cli(port: asking, ["CLUSTER", "SLOTS"], password: password)
        // redis-cli prints ranges as: start, end, host, port, id, (replicas...) one per line.
        let lines = text.split(separator: "\n").map { String($0) }
        var i = 0
        while i + 3 < lines.count {
            if let start = Int(lines[i]), let end = Int(lines[i + 1]), let port = Int(lines[i + 3]),
                (start...end).contains(slot)
            {
                return port
            }
            i += 1
        }
        return nil
    }

    /// `redis-cli -p port args...`: its output (stdout and stderr).
    @discardableResult
    public static func cli(
        port: Int, _ args: [String], password: String? = nil, timeout: TimeInterval = 10
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        let auth = password.map { ["-a", $0, "--no-auth-warning"] } ?? []
        process.arguments = ["-h", "127.0.0.1", "-p", String(port)] + auth + args
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        if !waitUntil(timeout: timeout, interval: 0.01, { !process.isRunning }) { process.terminate() }
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// SIGKILL to one node (a crash: no goodbye to the cluster).
    public func kill(_ port: Int) {
        guard let server = servers.removeValue(forKey: port) else { return }
        server.signal(SIGKILL)
        server.waitForExit(timeout: 10)
        killed[port] = server
    }

    public func stop() {
        for server in servers.values { server.signal(SIGKILL) }
        for server in servers.values { server.waitForExit(timeout: 10) }
        servers = [:]
        killed = [:]
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
