// Which key decides a command's slot: what a cluster client must know to route a command.

/// Pure: reads an argv. `EVAL`/`EVALSHA` route by their first declared key (`KEYS[1]`; the
/// store's scripts keep every key they touch in that key's slot); a command without a key
/// (`PUBLISH`, `SCRIPT`, `PING`, `CLUSTER`, a script with no keys) goes to any node.
public enum RedisCommandKey {
    public static func key(of args: [[UInt8]]) -> [UInt8]? {
        guard let name = args.first else { return nil }
        if scripted.contains(where: { matches(name, $0) }) {
            guard args.count > 3, let count = Int(String(decoding: args[2], as: UTF8.self)), count > 0 else {
                return nil
            }
            return args[3]
        }
        if keyless.contains(where: { matches(name, $0) }) { return nil }
        return args.count > 1 ? args[1] : nil
    }

    /// The slot of `args`' key, or nil for any node.
    public static func slot(of args: [[UInt8]]) -> Int? {
        key(of: args).map(ClusterHashSlot.slot)
    }

    /// Case-insensitive on bytes, no String per command (this runs for every GET): `& 0xDF`
    /// upper-cases ASCII letters and keeps `_`.
    private static func matches(_ name: [UInt8], _ word: [UInt8]) -> Bool {
        name.count == word.count && zip(name, word).allSatisfy { $0 & 0xDF == $1 }
    }

    private static let scripted = ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO"].map { Array($0.utf8) }
    private static let keyless = ["PUBLISH", "SCRIPT", "PING", "CLUSTER", "ASKING", "INFO", "AUTH", "SUBSCRIBE"].map {
        Array($0.utf8)
    }
}
