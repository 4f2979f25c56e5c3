// Which key decides a command's slot: what a cluster client must know to route a command.

/// Pure: reads an argv. `EVAL`/`EVALSHA` route by their first declared key (`KEYS[1]`; the
/// store's scripts keep every key they touch in that key's slot); a command without a key
/// (`PUBLISH`, `SCRIPT`, `PING`, `CLUSTER`, a script with no keys) goes to any node.
public enum RedisCommandKey {
    public static func key(of args: [[UInt8]]) -> [UInt8]? {
        guard let name = args.first else { return nil }
        switch uppercased(name) {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO":
            guard args.count > 3, let count = Int(String(decoding: args[2], as: UTF8.self)), count > 0 else {
                return nil
            }
            return args[3]
        case "PUBLISH", "SCRIPT", "PING", "CLUSTER", "ASKING", "INFO", "AUTH", "SUBSCRIBE":
            return nil
        default:
            return args.count > 1 ? args[1] : nil
        }
    }

    /// The slot of `args`' key, or nil for any node.
    public static func slot(of args: [[UInt8]]) -> Int? {
        key(of: args).map(ClusterHashSlot.slot)
    }

    private static func uppercased(_ name: [UInt8]) -> String {
        String(decoding: name.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
