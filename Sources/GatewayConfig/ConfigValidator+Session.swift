// `session { ... }`: where sessions live and how the cookie that names them is made.

extension ConfigValidator {
    mutating func session(_ node: ConfigNode) -> SessionConfig {
        let item = "session"
        let block = screen(node.children ?? [], in: .session, item: item)
        var config = ConfigDefaults.session
        for child in block.nodes {
            let arg = child.args[0]
            switch child.name {
            case "store": config.store = store(arg) ?? config.store
            case "cookie_name":
                if ConfigValues.isToken(arg.value) {
                    config.cookieName = arg.value
                } else {
                    error(
                        arg.location, item,
                        "\"cookie_name\" must be a cookie name token, got \"\(arg.value)\"")
                }
            case "cookie_secret":
                // Never echo the secret itself.
                let bytes = arg.value.utf8.count
                if bytes >= ConfigDefaults.minimumCookieSecretBytes {
                    config.cookieSecret = arg.value
                } else {
                    let minimum = ConfigDefaults.minimumCookieSecretBytes
                    error(
                        arg.location, item,
                        "\"cookie_secret\" must be at least \(minimum) bytes, got \(bytes)")
                }
            case "lifetime": config.lifetime = duration(child, item: item) ?? config.lifetime
            case "idle_timeout":
                config.idleTimeout = duration(child, item: item) ?? config.idleTimeout
            case "cache": config.cacheTTL = cacheTTL(child, item: item, current: config.cacheTTL)
            case "store_timeout":
                config.storeTimeout = storeTimeout(child, item: item) ?? config.storeTimeout
            default:
                preconditionFailure("session directive \(child.name) passed screening unhandled")
            }
        }
        return config
    }

    /// `cache off;` or a duration up to a minute (`ConfigDefaults.maximumSessionCacheTTL`).
    private mutating func cacheTTL(_ node: ConfigNode, item: String, current: Duration?) -> Duration? {
        if node.args[0].value == "off" { return nil }
        guard let ttl = duration(node, item: item) else { return current }
        guard ttl > .zero, ttl <= ConfigDefaults.maximumSessionCacheTTL else {
            error(
                node.args[0].location, item,
                "\"cache\" must be \"off\" or between 1ms and 60s, got \"\(node.args[0].value)\"")
            return current
        }
        return ttl
    }

    /// A duration in `ConfigDefaults.storeTimeoutRange`.
    private mutating func storeTimeout(_ node: ConfigNode, item: String) -> Duration? {
        guard let timeout = duration(node, item: item) else { return nil }
        guard ConfigDefaults.storeTimeoutRange.contains(timeout) else {
            error(
                node.args[0].location, item,
                "\"store_timeout\" must be between 10ms and 30s, got \"\(node.args[0].value)\"")
            return nil
        }
        return timeout
    }

    /// `memory`, `redis://[:password@]host[:port][/db]`, or a Sentinel or Cluster URL (their
    /// own files); the password is read by `takeRedisPassword`.
    private mutating func store(_ arg: ConfigArgument) -> SessionStoreConfig? {
        if arg.value == "memory" { return .memory }
        if arg.value.lowercased().hasPrefix("redis-sentinel://") { return sentinelStore(arg) }
        if arg.value.lowercased().hasPrefix("redis-cluster://") { return clusterStore(arg) }
        let shown = Self.redactingPassword(arg.value)
        let expected =
            "\"store\" must be \"memory\" or \"redis://[:password@]host[:port][/db]\", got \"\(shown)\""
        guard arg.value.lowercased().hasPrefix("redis://") else {
            error(
                arg.location, "session",
                "\"store\" must be \"memory\", \"redis://[:password@]host[:port][/db]\", "
                    + "\"\(Self.sentinelStoreForm)\" or \"\(Self.clusterStoreForm)\", got \"\(shown)\"")
            return nil
        }
        var rest = arg.value.dropFirst(8)
        let (password, valid) = takeRedisPassword(&rest, example: "redis://:PASSWORD@host", arg)
        guard valid else { return nil }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var database = 0
        if !path.isEmpty {
            let db = path.dropFirst()
            if !db.isEmpty {
                guard let number = ConfigValues.integer(String(db)) else {
                    error(
                        arg.location, "session",
                        "\"store\" database must be a number, got \"\(db)\"")
                    return nil
                }
                database = number
            }
        }
        switch ConfigValues.hostPort(String(authority), defaultPort: ConfigDefaults.redisPort) {
        case .success(let parsed)
        where ConfigValues.isValidHost(parsed.host, bracketed: parsed.bracketed):
            return .redis(
                host: parsed.host, port: parsed.port, database: database, password: password)
        case .failure(.invalidPort):
            error(arg.location, "session", "\"store\" has an invalid port (must be 1-65535)")
        default:
            error(arg.location, "session", expected)
        }
        return nil
    }

    /// `redis://:secret@host` as `redis://:***@host`, for messages.
    static func redactingPassword(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://"), let at = url.lastIndex(of: "@"),
            at > scheme.upperBound
        else { return url }
        return String(url[..<scheme.upperBound]) + ":***" + String(url[at...])
    }
}
