// Which directives each block accepts, how many arguments they take, and typo suggestions.

/// What a directive looks like: its name, argument count, and whether it opens a block.
struct DirectiveSpec: Sendable {
    var name: String
    var minArgs: Int
    /// `nil`: no upper bound.
    var maxArgs: Int?
    var isBlock = false
    /// Whether it may appear more than once in one block.
    var isRepeatable = false

    static func simple(_ name: String, _ args: Int = 1) -> DirectiveSpec {
        DirectiveSpec(name: name, minArgs: args, maxArgs: args)
    }
}

/// The places a directive can appear: the top level of the file or inside one kind of block.
enum ConfigContext: Sendable, CaseIterable {
    case topLevel, upstream, session, provider, location

    /// How messages name the context: `at the top level`, `in "upstream"`.
    var phrase: String {
        switch self {
        case .topLevel: "at the top level"
        case .upstream: "in \"upstream\""
        case .session: "in \"session\""
        case .provider: "in \"provider\""
        case .location: "in \"location\""
        }
    }

    var directives: [DirectiveSpec] {
        switch self {
        case .topLevel: Self.topLevelDirectives
        case .upstream: Self.upstreamDirectives
        case .session: Self.sessionDirectives
        case .provider: Self.providerDirectives
        case .location: Self.locationDirectives
        }
    }

    func spec(_ name: String) -> DirectiveSpec? {
        directives.first { $0.name == name }
    }

    /// The directive valid here whose name is nearest to `name`, if it is a likely typo.
    func suggestion(for name: String) -> String? {
        // `include` is handled by the parser and is valid everywhere.
        let candidates = directives.map(\.name) + ["include"]
        return EditDistance.nearest(to: name, in: candidates)
    }

    // MARK: - Tables

    private static let durations = [
        "client_header_timeout", "client_body_timeout", "keepalive_timeout", "send_timeout",
        "shutdown_timeout", "health_check_interval", "tunnel_idle_timeout",
    ]

    private static let topLevelDirectives: [DirectiveSpec] =
        [
            DirectiveSpec(name: "listen", minArgs: 1, maxArgs: nil, isRepeatable: true),
            DirectiveSpec(name: "ssl_protocols", minArgs: 1, maxArgs: nil), .simple("ssl_ciphers"),
            DirectiveSpec(name: "hsts", minArgs: 1, maxArgs: 2),
            .simple("public_url"), .simple("auto_redirect"), .simple("auth_prefix"),
            .simple("workers"), .simple("event_backend"), .simple("max_connections"), .simple("max_header_size"),
            DirectiveSpec(name: "trusted_proxies", minArgs: 1, maxArgs: nil, isRepeatable: true),
            .simple("underscores_in_headers"), .simple("allow_encoded_slashes"),
            DirectiveSpec(name: "websocket_origins", minArgs: 1, maxArgs: nil, isRepeatable: true),
            .simple("verify_redirect"), .simple("metrics_listen"), .simple("headers"),
            .simple("end_provider_session"), .simple("post_logout_redirect"),
            .simple("identity_assertion"), .simple("identity_assertion_key"),
        ] + durations.map { .simple($0) } + [
            .simple("access_log"),
            DirectiveSpec(name: "error_log", minArgs: 1, maxArgs: 2),
            DirectiveSpec(
                name: "upstream", minArgs: 1, maxArgs: 1, isBlock: true, isRepeatable: true),
            DirectiveSpec(name: "session", minArgs: 0, maxArgs: 0, isBlock: true),
            DirectiveSpec(
                name: "provider", minArgs: 1, maxArgs: 1, isBlock: true, isRepeatable: true),
            DirectiveSpec(
                name: "location", minArgs: 1, maxArgs: 1, isBlock: true, isRepeatable: true),
        ]

    private static let upstreamDirectives: [DirectiveSpec] = [
        DirectiveSpec(name: "server", minArgs: 1, maxArgs: 1, isRepeatable: true),
        .simple("keepalive"), .simple("connect_timeout"), .simple("read_timeout"),
        .simple("send_timeout"), .simple("ca_file"), .simple("tls_verify"),
    ]

    private static let sessionDirectives: [DirectiveSpec] = [
        .simple("store"), .simple("cookie_name"), .simple("cookie_secret"), .simple("lifetime"),
        .simple("idle_timeout"), .simple("cache"), .simple("store_timeout"),
    ]

    /// Every key a provider block accepts besides `type` and `display_name`.
    static let providerOptionKeys = [
        "client_id", "client_secret", "issuer", "scopes", "consumer_key", "consumer_secret",
        "authorize_url", "token_url", "api_url", "userinfo_url", "request_token_url",
        "access_token_url", "tenant", "token_auth", "claim_id", "claim_email", "claim_name",
        "claim_groups", "ca_file",
    ]

    private static let providerDirectives: [DirectiveSpec] =
        [.simple("type"), .simple("display_name")]
        + providerOptionKeys.map { key in
            // `scopes openid email profile;` is the one option that takes a list.
            key == "scopes" ? DirectiveSpec(name: key, minArgs: 1, maxArgs: nil) : .simple(key)
        }

    private static let locationDirectives: [DirectiveSpec] = [
        .simple("auth"),
        DirectiveSpec(name: "allow", minArgs: 1, maxArgs: 3, isRepeatable: true),
        DirectiveSpec(name: "deny", minArgs: 1, maxArgs: 3, isRepeatable: true),
        .simple("proxy_pass"),
        DirectiveSpec(name: "identity_header", minArgs: 2, maxArgs: 2, isRepeatable: true),
        .simple("pass_access_token"),
        .simple("headers"),
        DirectiveSpec(name: "accept", minArgs: 3, maxArgs: 3), .simple("identity_assertion"),
    ]
}
