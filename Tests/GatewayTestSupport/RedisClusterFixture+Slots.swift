// Moving slots by hand, as `redis-cli --cluster reshard` does: IMPORTING, MIGRATING, MIGRATE
// each key, then SETSLOT NODE on every primary.
import Foundation

extension RedisClusterFixture {
    public func nodeID(_ port: Int) throws -> String {
        try Self.cli(port: port, ["CLUSTER", "MYID"], password: password).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    /// Marks `slot` as moving from `source` to `target` (both primaries), and moves its keys.
    /// With `finish`, the slot then belongs to `target` everywhere; without, it stays
    /// half-migrated (the source answers ASK for the keys it no longer has).
    public func migrate(slot: Int, from source: Int, to target: Int, finish: Bool = true) throws {
        let sourceID = try nodeID(source)
        let targetID = try nodeID(target)
        try expectOK(target, ["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceID])
        try expectOK(source, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetID])
        while true {
            let keys = try Self.cli(
                port: source, ["CLUSTER", "GETKEYSINSLOT", String(slot), "100"], password: password
            )
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            if keys.isEmpty { break }
            let auth = password.map { ["AUTH", $0] } ?? []
            let reply = try Self.cli(
                port: source,
                ["MIGRATE", "127.0.0.1", String(target), "", "0", "5000", "REPLACE"] + auth + ["KEYS"] + keys,
                password: password)
            guard reply.contains("OK") || reply.contains("NOKEY") else { throw TestFailure("MIGRATE: \(reply)") }
        }
        if finish {
            // The target first, then the source, as the cluster spec and redis-cli do: the
            // other order lets the two send MOVED to each other for a moment.
            let others = try primaries().filter { $0 != source && $0 != target }
            for port in [target, source] + others {
                try expectOK(port, ["CLUSTER", "SETSLOT", String(slot), "NODE", targetID])
            }
        }
    }

    /// `CLUSTER KEYSLOT key`: the server's own answer.
    public func keySlot(_ key: String) throws -> Int {
        let port = try primaries()[0]
        let text = try Self.cli(port: port, ["CLUSTER", "KEYSLOT", key], password: password).trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard let slot = Int(text) else { throw TestFailure("CLUSTER KEYSLOT \(key): \(text)") }
        return slot
    }

    /// Keys on each running primary (DBSIZE).
    public func keyCounts() throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for port in try primaries() {
            counts[port] = Int(
                try Self.cli(port: port, ["DBSIZE"], password: password).trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
        return counts
    }

    private func expectOK(_ port: Int, _ args: [String]) throws {
        let reply = try Self.cli(port: port, args, password: password)
        guard reply.contains("OK") else { throw TestFailure("\(args.joined(separator: " ")) on \(port): \(reply)") }
    }
}
