// `store redis-sentinel://[:PASSWORD@]HOST[:PORT],HOST[:PORT],.../MASTER[/DB];`

extension ConfigValidator {
    static let sentinelStoreForm = "redis-sentinel://[:password@]host[:port],host[:port],.../master[/db]"

    /// The sentinels (port 26379 when left out), the master name and the database. The
    /// password is everything between `redis-sentinel://:` and the last `@`, as for `redis://`;
    /// messages never show it.
    mutating func sentinelStore(_ arg: ConfigArgument) -> SessionStoreConfig? {
        let shown = Self.redactingPassword(arg.value)
        var rest = arg.value.dropFirst("redis-sentinel://".count)
        let (password, valid) = takeRedisPassword(&rest, example: "redis-sentinel://:PASSWORD@host", arg)
        guard valid else { return nil }
        let list = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(list.count).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard let sentinels = sentinelAddresses(list, arg) else { return nil }
        guard let master = path.first, !master.isEmpty else {
            error(
                arg.location, "session",
                "\"store\" names no master: expected \"\(Self.sentinelStoreForm)\", got \"\(shown)\"")
            return nil
        }
        guard Self.isSentinelMasterName(master) else {
            error(
                arg.location, "session",
                "\"store\" master name must be 1-64 letters, digits, \".\", \"_\" or \"-\", got \"\(master)\"")
            return nil
        }
        var database = 0
        if path.count > 3 || (path.count == 3 && !path.last!.isEmpty) {
            error(
                arg.location, "session", "\"store\" has more after the database: expected \"\(Self.sentinelStoreForm)\""
            )
            return nil
        }
        if path.count >= 2, !path[path.startIndex + 1].isEmpty {
            let db = path[path.startIndex + 1]
            guard let number = ConfigValues.integer(String(db)) else {
                error(arg.location, "session", "\"store\" database must be a number, got \"\(db)\"")
                return nil
            }
            database = number
        }
        return .redisSentinel(
            SentinelStoreConfig(sentinels: sentinels, master: String(master), database: database, password: password))
    }

    /// `host[:port]` items separated by commas: at least one, each valid, none twice.
    private mutating func sentinelAddresses(_ list: Substring, _ arg: ConfigArgument) -> [RedisNodeAddress]?
    {
        guard !list.isEmpty else {
            error(arg.location, "session", "\"store\" names no sentinel: expected \"\(Self.sentinelStoreForm)\"")
            return nil
        }
        var addresses: [RedisNodeAddress] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            switch ConfigValues.hostPort(String(item), defaultPort: SentinelStoreConfig.defaultPort) {
            case .success(let parsed) where ConfigValues.isValidHost(parsed.host, bracketed: parsed.bracketed):
                let address = RedisNodeAddress(host: parsed.host, port: parsed.port)
                guard !addresses.contains(address) else {
                    error(arg.location, "session", "\"store\" lists sentinel \"\(item)\" twice")
                    return nil
                }
                addresses.append(address)
            case .failure(.invalidPort):
                error(arg.location, "session", "\"store\" sentinel \"\(item)\" has an invalid port (must be 1-65535)")
                return nil
            default:
                error(arg.location, "session", "\"store\" sentinel \"\(item)\" is not a host[:port]")
                return nil
            }
        }
        return addresses
    }

    /// What `sentinel monitor` names are taken here: short, and nothing that needs quoting.
    static func isSentinelMasterName(_ name: Substring) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy {
                ConfigValues.isDigit($0) || ConfigValues.isLetter($0) || $0 == UInt8(ascii: ".")
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
    }
}
