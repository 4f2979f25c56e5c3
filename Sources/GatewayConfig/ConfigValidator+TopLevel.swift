// The top-level directives: listeners, public_url, limits, timeouts and logs.

extension ConfigValidator {
    mutating func applyTopLevelValues(_ top: ScreenedBlock, to config: inout GatewayConfiguration) {
        for node in top.nodes {
            switch node.name {
            case "public_url":
                config.publicURL = publicURL(node.args[0], directive: "public_url") ?? config.publicURL
            case "auto_redirect": config.autoRedirect = boolean(node) ?? config.autoRedirect
            case "auth_prefix": config.authPrefix = authPrefix(node.args[0]) ?? config.authPrefix
            case "workers": config.workers = integer(node, minimum: 1) ?? config.workers
            case "event_backend":
                let value = node.args[0]
                if let kind = EventBackendKind(rawValue: value.value) {
                    config.eventBackend = kind
                } else {
                    error(value.location, nil, "\"event_backend\" must be \"epoll\" or \"dispatch\"")
                }
            case "max_connections":
                config.maxConnections = integer(node, minimum: 1) ?? config.maxConnections
            case "max_header_size": config.maxHeaderSize = size(node) ?? config.maxHeaderSize
            case "client_header_timeout":
                config.clientHeaderTimeout = duration(node) ?? config.clientHeaderTimeout
            case "client_body_timeout":
                config.clientBodyTimeout = duration(node) ?? config.clientBodyTimeout
            case "keepalive_timeout":
                config.keepaliveTimeout = duration(node) ?? config.keepaliveTimeout
            case "send_timeout": config.sendTimeout = duration(node) ?? config.sendTimeout
            case "shutdown_timeout":
                config.shutdownTimeout = duration(node) ?? config.shutdownTimeout
            case "health_check_interval":
                config.healthCheckInterval = duration(node) ?? config.healthCheckInterval
            case "tunnel_idle_timeout":
                config.tunnelIdleTimeout = duration(node) ?? config.tunnelIdleTimeout
            case "trusted_proxies":
                for arg in node.args {
                    if let network = TrustedNetwork(arg.value) {
                        config.trustedProxies.append(network)
                    } else {
                        error(
                            arg.location, nil,
                            "\"trusted_proxies\" takes IP addresses or CIDR networks like 10.0.0.0/8 or fd00::/8, got \"\(arg.value)\""
                        )
                    }
                }
            case "underscores_in_headers":
                config.underscoresInHeaders = boolean(node) ?? config.underscoresInHeaders
            case "allow_encoded_slashes":
                config.allowEncodedSlashes = boolean(node) ?? config.allowEncodedSlashes
            case "verify_redirect": config.verifyRedirect = boolean(node) ?? config.verifyRedirect
            case "end_provider_session":
                config.endProviderSession = boolean(node) ?? config.endProviderSession
            case "post_logout_redirect":
                config.postLogoutRedirect = postLogoutRedirect(node.args[0]) ?? config.postLogoutRedirect
            case "websocket_origins":
                for arg in node.args {
                    if let origin = publicURL(arg, directive: "websocket_origins") {
                        config.websocketOrigins.append(origin)
                    }
                }
            case "access_log":
                config.accessLog = logTarget(node, allowOff: true) ?? config.accessLog
            case "error_log":
                config.errorLog = logTarget(node, allowOff: false) ?? config.errorLog
                if node.args.count == 2 {
                    config.errorLogLevel = logLevel(node.args[1]) ?? config.errorLogLevel
                }
            default: break  // listen, the TLS directives and the blocks have their own passes
            }
        }
    }

    // MARK: - listen

    /// Every well-formed `listen`, without repeats; TLS listeners get `policy`.
    mutating func listeners(_ nodes: [ConfigNode], policy: TLSPolicy) -> [ListenerConfig] {
        var firsts: [ListenerConfig: SourceLocation] = [:]
        var result: [ListenerConfig] = []
        for node in nodes {
            guard let listener = listener(node, policy: policy) else { continue }
            var address = listener
            address.tls = nil
            // Each port-0 listener gets its own free port, so those never collide.
            if listener.port != 0, let first = firsts[address] {
                error(
                    node.location, nil,
                    "duplicate listen \"\(node.args[0].value)\" (first defined at \(first))")
                continue
            }
            firsts[address] = node.location
            result.append(listener)
        }
        return result
    }

    /// `listen HOST:PORT [tls cert=FILE key=FILE ...];` (also `[v6]:PORT` and a bare `PORT`).
    mutating func listener(_ node: ConfigNode, policy: TLSPolicy) -> ListenerConfig? {
        let arg = node.args[0]
        let item = "\(node.name) \"\(arg.value)\""
        var listener: ListenerConfig?
        if let port = ConfigValues.integer(arg.value) {
            if (0...65535).contains(port) {
                listener = ListenerConfig(host: ConfigDefaults.listener.host, port: port)
            } else {
                error(
                    arg.location, nil,
                    "\(item) has an invalid port (must be 1-65535, or 0 for any free port)")
            }
        } else {
            // Port 0 asks the system for a free port (tests and tools read it back from the log).
            switch ConfigValues.hostPort(arg.value, allowPortZero: true) {
            case .success(let parsed):
                let valid =
                    parsed.bracketed
                    ? ConfigValues.isIPv6(parsed.host)
                    : ConfigValues.isIPv4(parsed.host) || parsed.host == "localhost"
                if valid {
                    listener = ListenerConfig(host: parsed.host, port: parsed.port)
                } else {
                    error(
                        arg.location, nil,
                        "\(item) has an invalid host (must be a numeric IPv4 address, an IPv6 address in brackets or \"localhost\")"
                    )
                }
            case .failure(.noPort): error(arg.location, nil, "\(item) has no port")
            case .failure(.invalidPort):
                error(
                    arg.location, nil,
                    "\(item) has an invalid port (must be 1-65535, or 0 for any free port)")
            case .failure(.noHost), .failure(.malformed):
                error(arg.location, nil, "\(item) must be HOST:PORT, [IPv6]:PORT or PORT")
            }
        }
        let tls = listenTLS(Array(node.args.dropFirst()), item: item, at: node.location, policy: policy)
        guard var listener, tls.isValid else { return nil }
        listener.tls = tls.config
        return listener
    }

    // MARK: - Other values

    /// `http(s)://host[:port]`, an optional trailing `/`, nothing else.
    private mutating func publicURL(_ arg: ConfigArgument, directive: String) -> PublicURL? {
        let lower = arg.value.lowercased()
        let isHTTPS = lower.hasPrefix("https://")
        guard isHTTPS || lower.hasPrefix("http://") else {
            error(
                arg.location, nil,
                "\"\(directive)\" must start with http:// or https://, got \"\(arg.value)\"")
            return nil
        }
        var authority = arg.value.dropFirst(isHTTPS ? 8 : 7)
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        if authority.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            error(
                arg.location, nil,
                "\"\(directive)\" must not have a path, query or fragment, got \"\(arg.value)\"")
            return nil
        }
        // Port 0 stands for "none written"; a written port must be 1-65535.
        switch ConfigValues.hostPort(String(authority), defaultPort: 0) {
        case .success(let parsed)
        where ConfigValues.isValidHost(parsed.host, bracketed: parsed.bracketed):
            let host = parsed.bracketed ? "[\(parsed.host.lowercased())]" : parsed.host.lowercased()
            return PublicURL(
                isHTTPS: isHTTPS, host: host, port: parsed.port == 0 ? nil : parsed.port)
        case .failure(.invalidPort):
            error(arg.location, nil, "\"\(directive)\" has an invalid port (must be 1-65535)")
        default:
            error(arg.location, nil, "\"\(directive)\" has an invalid host, got \"\(arg.value)\"")
        }
        return nil
    }

    /// `/auth`: a path of its own, stored without a trailing `/`.
    private mutating func authPrefix(_ arg: ConfigArgument) -> String? {
        var prefix = Substring(arg.value)
        while prefix.count > 1, prefix.hasSuffix("/") { prefix = prefix.dropLast() }
        let bad = prefix.contains { $0 == "?" || $0 == "#" || $0.isWhitespace }
        guard prefix.hasPrefix("/"), prefix.count > 1, !bad else {
            error(
                arg.location, nil, "\"auth_prefix\" must be a path like /auth, got \"\(arg.value)\""
            )
            return nil
        }
        return String(prefix)
    }

    private mutating func logTarget(_ node: ConfigNode, allowOff: Bool) -> LogTarget? {
        let arg = node.args[0]
        switch arg.value {
        case "stdout": return .stdout
        case "stderr": return .stderr
        case "off" where allowOff: return .off
        case "off":
            error(arg.location, nil, "\"\(node.name)\" cannot be off; use a file, stdout or stderr")
            return nil
        case "":
            error(arg.location, nil, "\"\(node.name)\" needs a file, stdout or stderr")
            return nil
        default: return .file(arg.value)
        }
    }

    private mutating func logLevel(_ arg: ConfigArgument) -> LogLevel? {
        if let level = LogLevel(rawValue: arg.value) { return level }
        let levels = LogLevel.allCases.map(\.rawValue).joined(separator: ", ")
        error(
            arg.location, nil, "\"error_log\" level must be one of: \(levels); got \"\(arg.value)\""
        )
        return nil
    }
}
