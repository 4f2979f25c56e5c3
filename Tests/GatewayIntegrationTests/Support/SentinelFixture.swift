// A Sentinel-managed Redis on loopback: a primary, one replica and three sentinels (quorum 2),
// each in its own temp folder on a free port, all behind one password, stopped by PID.
import Foundation
import GatewayTestSupport
import XCTest

struct SentinelGroup {
    static let master = "gateway"
    let password: String
    let primaryPort: Int
    let replicaPort: Int
    let sentinelPorts: [Int]
    let primary: FixtureProcess

    /// The gateway's `store`, with `extraFirst` (say a sentinel that is down) listed first.
    func storeURL(extraFirst: [Int] = []) -> String {
        let hosts = (extraFirst + sentinelPorts).map { "127.0.0.1:\($0)" }.joined(separator: ",")
        return "redis-sentinel://:\(password)@\(hosts)/\(Self.master)/0"
    }
}

extension IntegrationTestCase {
    /// `redis-cli` against 127.0.0.1:`port` with the group's password; its output lines.
    func redisCLI(_ port: Int, password: String, _ arguments: [String]) throws -> [String] {
        let cli = try FixtureProcess(
            executable: "/usr/bin/env",
            arguments: ["redis-cli", "-h", "127.0.0.1", "-p", String(port), "--no-auth-warning", "-a", password]
                + arguments, directory: directory, name: "redis-cli-\(UUID().uuidString.prefix(8))")
        cli.waitForExit(timeout: 10)
        return cli.stdout.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The value after `field` in a flat field/value reply (`SENTINEL master`, `ROLE`).
    func field(_ name: String, in lines: [String]) -> String? {
        lines.firstIndex(of: name).flatMap { $0 + 1 < lines.count ? lines[$0 + 1] : nil }
    }

    private func startDataNode(port: Int, password: String, replicaOf primary: Int?) throws -> FixtureProcess {
        let dir = directory.appendingPathComponent("redis-\(port)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var arguments = [
            "redis-server", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no",
            "--dir", dir.path, "--requirepass", password, "--masterauth", password,
        ]
        if let primary { arguments += ["--replicaof", "127.0.0.1", String(primary)] }
        let child = try FixtureProcess(
            executable: "/usr/bin/env", arguments: arguments, directory: directory, name: "redis-\(port)")
        track(child)
        _ = try child.waitFor("redis on \(port)", in: { child.stdout }) {
            $0.contains("Ready to accept connections") ? true : nil
        }
        return child
    }

    private func startSentinel(port: Int, primary: Int, password: String) throws {
        let dir = directory.appendingPathComponent("sentinel-\(port)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let master = SentinelGroup.master
        // Sentinel rewrites its file, so each has its own, written (not atomically) here.
        let config = """
            port \(port)
            bind 127.0.0.1
            daemonize no
            dir \(dir.path)
            requirepass \(password)
            sentinel monitor \(master) 127.0.0.1 \(primary) 2
            sentinel auth-pass \(master) \(password)
            sentinel down-after-milliseconds \(master) 1000
            sentinel failover-timeout \(master) 5000
            sentinel parallel-syncs \(master) 1

            """
        let file = dir.appendingPathComponent("sentinel.conf")
        try config.write(to: file, atomically: false, encoding: .utf8)
        let child = try FixtureProcess(
            executable: "/usr/bin/env", arguments: ["redis-sentinel", file.path], directory: directory,
            name: "sentinel-\(port)")
        track(child)
        _ = try child.waitFor("sentinel on \(port)", in: { child.stdout }) { $0.contains("+monitor") ? true : nil }
    }

    /// Starts the group and waits until every sentinel knows the replica and the two others,
    /// so that a failover can be agreed at once.
    func startSentinelGroup() throws -> SentinelGroup {
        let password = "sentinel-pass-\(UUID().uuidString.prefix(8))"
        let (primaryPort, replicaPort) = (closedPort(), closedPort())
        let primary = try startDataNode(port: primaryPort, password: password, replicaOf: nil)
        _ = try startDataNode(port: replicaPort, password: password, replicaOf: primaryPort)
        let linked = waitUntil(timeout: 20, interval: 0.1) {
            (try? redisCLI(replicaPort, password: password, ["INFO", "replication"]))?
                .contains { $0.hasPrefix("master_link_status:up") } == true
        }
        guard linked else { throw TestFailure("the replica did not link to the primary") }
        let sentinelPorts = [closedPort(), closedPort(), closedPort()]
        for port in sentinelPorts { try startSentinel(port: port, primary: primaryPort, password: password) }
        let meshed = waitUntil(timeout: 30, interval: 0.2) {
            sentinelPorts.allSatisfy { port in
                let lines =
                    (try? redisCLI(port, password: password, ["SENTINEL", "master", SentinelGroup.master])) ?? []
                return field("num-other-sentinels", in: lines) == "2" && field("num-slaves", in: lines) == "1"
            }
        }
        guard meshed else { throw TestFailure("the sentinels did not find each other and the replica") }
        return SentinelGroup(
            password: password, primaryPort: primaryPort, replicaPort: replicaPort, sentinelPorts: sentinelPorts,
            primary: primary)
    }

    /// Blocks until the replica has acknowledged every write made so far on the primary: a
    /// marker written after them and `WAIT 1` on the same connection (replication keeps order).
    func waitForReplica(_ group: SentinelGroup) throws {
        let cli = try FixtureProcess(
            executable: "/bin/sh",
            arguments: [
                "-c",
                "printf 'SET sentinel-test-marker 1\\nWAIT 1 5000\\n' | redis-cli -h 127.0.0.1 -p \(group.primaryPort) "
                    + "--no-auth-warning -a \(group.password)",
            ], directory: directory, name: "redis-wait-\(UUID().uuidString.prefix(8))")
        cli.waitForExit(timeout: 10)
        let lines = cli.stdout.split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertEqual(lines, ["OK", "1"], "the replica did not acknowledge the writes")
    }
}

extension IntegrationTestCase {
    /// Fixtures/stale_sentinel.py: a sentinel that names `port` (a replica) as the primary.
    func startStaleSentinel(naming port: Int) throws -> Int {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [
                TestPaths.fixtures.appendingPathComponent("stale_sentinel.py").path, "--port-of-primary", String(port),
            ], directory: directory, name: "stale-sentinel-\(UUID().uuidString.prefix(6))")
        track(child)
        return try child.waitForPort("the stale sentinel")
    }
}
