// `upstream NAME { server HOST:PORT; ... }`: the apps the gateway forwards to.

extension ConfigValidator {
    mutating func upstream(_ node: ConfigNode) -> UpstreamConfig? {
        let nameArg = node.args[0]
        let item = "upstream \"\(nameArg.value)\""
        var valid = true
        if !ConfigValues.isHostName(nameArg.value) {
            error(
                nameArg.location, item,
                "name may contain only letters, digits, \".\", \"-\" and \"_\"")
            valid = false
        }
        let block = screen(node.children ?? [], in: .upstream, item: item)
        var config = UpstreamConfig(
            name: nameArg.value, servers: [], keepalive: ConfigDefaults.upstreamKeepalive,
            connectTimeout: ConfigDefaults.upstreamConnectTimeout,
            readTimeout: ConfigDefaults.upstreamReadTimeout,
            sendTimeout: ConfigDefaults.upstreamSendTimeout, location: node.location)
        for child in block.nodes {
            switch child.name {
            case "server":
                if let server = server(child.args[0], item: item) { config.servers.append(server) }
            case "keepalive":
                config.keepalive = integer(child, minimum: 0, item: item) ?? config.keepalive
            case "connect_timeout":
                config.connectTimeout = duration(child, item: item) ?? config.connectTimeout
            case "read_timeout":
                config.readTimeout = duration(child, item: item) ?? config.readTimeout
            case "send_timeout":
                config.sendTimeout = duration(child, item: item) ?? config.sendTimeout
            case "ca_file":
                let path = child.args[0]
                if let problem = ConfigFileSystem.readProblem(path.value) {
                    error(path.location, item, "\"ca_file\" \"\(path.value)\" cannot be read: \(problem)")
                } else {
                    config.tls.caFile = path.value
                }
            case "tls_verify":
                config.tls.verify = boolean(child, item: item) ?? config.tls.verify
            default:
                preconditionFailure("upstream directive \(child.name) passed screening unhandled")
            }
        }
        if !block.has("server") {
            error(node.location, item, "at least one \"server\" is required")
            valid = false
        }
        if !config.servers.isEmpty, !config.servers.contains(where: \.isTLS) {
            for name in ["ca_file", "tls_verify"] {
                if let child = block.first(name) {
                    error(child.location, item, "\"\(name)\" needs a \"server https://...\"")
                    valid = false
                }
            }
        } else if !config.tls.verify, let child = block.first("tls_verify") {
            warning(
                child.location, item,
                "\"tls_verify off\" accepts any certificate: anyone on the path to the upstream can read and change its traffic"
            )
        }
        return valid ? config : nil
    }

    /// `HOST:PORT` or `[IPv6]:PORT`, optionally after `http://`, or `https://HOST[:PORT]`
    /// (port 443 when none is written); HOST may be a DNS name.
    private mutating func server(_ arg: ConfigArgument, item: String) -> UpstreamServer? {
        let server = "server \"\(arg.value)\""
        let lower = arg.value.lowercased()
        let isTLS = lower.hasPrefix("https://")
        let authority =
            isTLS
            ? String(arg.value.dropFirst(8)) : lower.hasPrefix("http://") ? String(arg.value.dropFirst(7)) : arg.value
        if authority.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            error(arg.location, item, "\(server) must not have a path, query or fragment")
            return nil
        }
        switch ConfigValues.hostPort(authority, defaultPort: isTLS ? 443 : nil) {
        case .success(let parsed)
        where ConfigValues.isValidHost(parsed.host, bracketed: parsed.bracketed):
            return UpstreamServer(host: parsed.host, port: parsed.port, isTLS: isTLS)
        case .success: error(arg.location, item, "\(server) has an invalid host")
        case .failure(.noPort): error(arg.location, item, "\(server) has no port")
        case .failure(.noHost): error(arg.location, item, "\(server) has no host")
        case .failure(.invalidPort):
            error(arg.location, item, "\(server) has an invalid port (must be 1-65535)")
        case .failure(.malformed):
            error(arg.location, item, "\(server) must be HOST:PORT or [IPv6]:PORT")
        }
        return nil
    }
}
