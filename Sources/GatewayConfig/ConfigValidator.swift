// Turns the syntax tree into a GatewayConfiguration, collecting every problem on the way.

/// Checks a parsed file against the directive tables and the rules of each block.
///
/// It never stops at the first problem: each bad directive is reported and skipped (its default
/// stays in place) so the rest can still be checked. Messages name the item, then the rule:
/// `upstream "app": server "x" has no port`. Problems with a value point at the value;
/// problems with a directive (unknown, misplaced, repeated, missing) point at its name.
struct ConfigValidator {
    /// Whether this build can sign users in (`ConfigLoader.signInAvailable`; a parameter so
    /// tests can check both sides of the gate).
    let signInAvailable: Bool
    /// Provider types this build can sign in with (`ConfigLoader.availableProviderTypes`).
    let providerTypes: Set<ProviderType>
    private(set) var diagnostics: [ConfigDiagnostic] = []
    /// Settings that are valid but risky; they never fail a load.
    private(set) var warnings: [ConfigDiagnostic] = []

    init(signInAvailable: Bool, providerTypes: Set<ProviderType> = Set(ProviderType.allCases)) {
        self.signInAvailable = signInAvailable
        self.providerTypes = providerTypes
    }

    /// The directives of one block that passed the generic checks, for the block's own rules.
    struct ScreenedBlock {
        /// Well-formed directives in file order; a repeated single-use directive only once.
        var nodes: [ConfigNode] = []
        /// Every known directive written in the block (even a malformed one), at its first place.
        /// "Is required" checks read this, so one mistake is not reported twice.
        var seen: [String: SourceLocation] = [:]

        func first(_ name: String) -> ConfigNode? { nodes.first { $0.name == name } }
        func all(_ name: String) -> [ConfigNode] { nodes.filter { $0.name == name } }
        func has(_ name: String) -> Bool { seen[name] != nil }
    }

    mutating func validate(_ nodes: [ConfigNode], sourceFile: String) -> GatewayConfiguration {
        let top = screen(nodes, in: .topLevel, item: nil)
        var config = GatewayConfiguration(
            sourceFile: sourceFile, listeners: [], publicURL: nil, autoRedirect: false,
            authPrefix: ConfigDefaults.authPrefix, workers: ConfigDefaults.workers,
            maxConnections: ConfigDefaults.maxConnections,
            maxHeaderSize: ConfigDefaults.maxHeaderSize,
            clientHeaderTimeout: ConfigDefaults.clientHeaderTimeout,
            clientBodyTimeout: ConfigDefaults.clientBodyTimeout,
            keepaliveTimeout: ConfigDefaults.keepaliveTimeout,
            sendTimeout: ConfigDefaults.sendTimeout,
            shutdownTimeout: ConfigDefaults.shutdownTimeout,
            healthCheckInterval: ConfigDefaults.healthCheckInterval,
            accessLog: ConfigDefaults.accessLog, errorLog: ConfigDefaults.errorLog,
            errorLogLevel: ConfigDefaults.errorLogLevel, upstreams: [],
            session: ConfigDefaults.session,
            providers: [], locations: [])

        applyTopLevelValues(top, to: &config)
        config.listeners = listeners(top.all("listen"), policy: tlsPolicy(top))
        if !top.has("listen") { config.listeners = [ConfigDefaults.listener] }
        config.hsts = hsts(top.first("hsts"), publicURL: config.publicURL)
        if !config.listeners.contains(where: { $0.tls != nil }) {
            for name in ["ssl_protocols", "ssl_ciphers"] {
                if let node = top.first(name) {
                    warning(node.location, nil, "\"\(name)\" has no effect: no listen has \"tls\"")
                }
            }
        }
        config.metricsListener = top.first("metrics_listen").flatMap { metricsListener($0, public: config.listeners) }

        config.upstreams = namedBlocks(top.all("upstream"), kind: "upstream") { $0.upstream($1) }
        if let session = top.first("session") { config.session = self.session(session) }
        config.providers = namedBlocks(top.all("provider"), kind: "provider") { $0.provider($1) }

        // Cross-references resolve against every block written, even one with errors of its
        // own, so a typo in an upstream does not also make each location that uses it fail.
        let references = LocationReferences(
            upstreams: top.all("upstream").map { $0.args[0].value },
            providers: top.all("provider").map { $0.args[0].value },
            hasGitHubProvider: top.all("provider").contains(where: Self.isGitHubProvider),
            hasClaimsProvider: top.all("provider").contains(where: Self.isClaimsProvider),
            headerPreset: top.first("headers").flatMap { headerPreset($0, item: nil) } ?? .standard)
        var locations: [LocationConfig] = []
        var prefixes: [String: SourceLocation] = [:]
        var firstProtected: ConfigNode?
        for node in top.all("location") {
            let prefix = node.args[0].value
            if let first = prefixes[prefix] {
                error(
                    node.location, nil,
                    "duplicate location \"\(prefix)\" (first defined at \(first))")
                continue
            }
            prefixes[prefix] = node.location
            let (location, mode) = self.location(node, references: references)
            if let location { locations.append(location) }
            if mode == .required, firstProtected == nil { firstProtected = node }
        }
        config.locations = locations
        config.providers = Self.readingRuleNeeds(config.providers, locations: locations)

        applyIdentityAssertion(top, to: &config)
        requireAssertionSettings(top, config: config)
        if signInAvailable, let firstProtected {
            requireSignInSettings(for: firstProtected, top: top)
        }
        return config
    }

    /// Once sign-in exists, a protected location needs somewhere to sign in and a cookie key.
    private mutating func requireSignInSettings(for location: ConfigNode, top: ScreenedBlock) {
        let item = "location \"\(location.args[0].value)\""
        if !top.has("provider") {
            error(
                location.location, item, "\"auth required\" needs at least one \"provider\" block")
        }
        let hasSecret =
            top.first("session")?.children?.contains { $0.name == "cookie_secret" } ?? false
        if !hasSecret {
            error(
                location.location, item, "\"auth required\" needs \"cookie_secret\" in \"session\"")
        }
        if !top.has("public_url") {
            // Callback URLs sent to providers are built from it; a Host header must never decide them.
            error(location.location, item, "\"auth required\" needs \"public_url\" (callback URLs are built from it)")
        }
    }

    private static func isGitHubProvider(_ node: ConfigNode) -> Bool {
        let type = node.children?.first { $0.name == "type" }?.args.first?.value
        return (type ?? node.args[0].value) == ProviderType.github.rawValue
    }

    /// Validates `upstream NAME {}` or `provider NAME {}` blocks in order; a repeated name is
    /// reported and skipped.
    private mutating func namedBlocks<T>(
        _ nodes: [ConfigNode], kind: String, _ build: (inout ConfigValidator, ConfigNode) -> T?
    ) -> [T] {
        var firsts: [String: SourceLocation] = [:]
        var results: [T] = []
        for node in nodes {
            let name = node.args[0].value
            if let first = firsts[name] {
                error(
                    node.location, nil, "duplicate \(kind) \"\(name)\" (first defined at \(first))")
                continue
            }
            firsts[name] = node.location
            if let result = build(&self, node) { results.append(result) }
        }
        return results
    }

    // MARK: - Generic checks

    /// Reports unknown, misplaced, malformed and repeated directives of one block.
    mutating func screen(_ nodes: [ConfigNode], in context: ConfigContext, item: String?)
        -> ScreenedBlock
    {
        var block = ScreenedBlock()
        for node in nodes {
            guard let spec = context.spec(node.name) else {
                reportUnknown(node, in: context, item: item)
                continue
            }
            if spec.isBlock && !node.isBlock {
                error(node.location, item, "\"\(node.name)\" expects a block { ... }")
                continue
            }
            if !spec.isBlock && node.isBlock {
                error(node.location, item, "\"\(node.name)\" does not take a block")
                continue
            }
            if !spec.isRepeatable, let first = block.seen[node.name] {
                error(node.location, item, "duplicate \"\(node.name)\" (first defined at \(first))")
                continue
            }
            if block.seen[node.name] == nil { block.seen[node.name] = node.location }
            if let problem = Self.arityProblem(spec, count: node.args.count) {
                error(node.location, item, problem)
                continue
            }
            // Its unset variable was reported; checking the empty value would only add noise.
            if node.isPoisoned { continue }
            block.nodes.append(node)
        }
        return block
    }

    private mutating func reportUnknown(
        _ node: ConfigNode, in context: ConfigContext, item: String?
    ) {
        if ConfigContext.allCases.contains(where: { $0.spec(node.name) != nil }) {
            error(node.location, nil, "\"\(node.name)\" is not allowed \(context.phrase)")
            return
        }
        var message = "unknown directive \"\(node.name)\""
        if let suggestion = context.suggestion(for: node.name) {
            message += "; did you mean \"\(suggestion)\"?"
        }
        error(node.location, item, message)
    }

    private static func arityProblem(_ spec: DirectiveSpec, count: Int) -> String? {
        if count >= spec.minArgs && count <= (spec.maxArgs ?? .max) { return nil }
        let name = "\"\(spec.name)\""
        func arguments(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        switch spec.maxArgs {
        case 0: return "\(name) takes no arguments, got \(count)"
        case spec.minArgs: return "\(name) expects \(arguments(spec.minArgs)), got \(count)"
        case let max?: return "\(name) expects \(spec.minArgs) to \(max) arguments, got \(count)"
        case nil: return "\(name) expects at least \(arguments(spec.minArgs)), got \(count)"
        }
    }

    // MARK: - Values

    mutating func boolean(_ node: ConfigNode, item: String? = nil) -> Bool? {
        let arg = node.args[0]
        if let value = ConfigValues.boolean(arg.value) { return value }
        error(
            arg.location, item, "\"\(node.name)\" must be \"on\" or \"off\", got \"\(arg.value)\"")
        return nil
    }

    mutating func duration(_ node: ConfigNode, item: String? = nil) -> Duration? {
        let arg = node.args[0]
        if let value = ConfigValues.duration(arg.value), value > .zero { return value }
        error(
            arg.location, item,
            "\"\(node.name)\" must be a positive duration like 500ms, 10s, 5m, 2h or 1h30m, got \"\(arg.value)\""
        )
        return nil
    }

    mutating func size(_ node: ConfigNode, item: String? = nil) -> Int? {
        let arg = node.args[0]
        if let value = ConfigValues.size(arg.value), value > 0 { return value }
        error(
            arg.location, item,
            "\"\(node.name)\" must be a positive size in bytes, optionally with k, m or g (like 16k), got \"\(arg.value)\""
        )
        return nil
    }

    mutating func integer(_ node: ConfigNode, minimum: Int, item: String? = nil) -> Int? {
        let arg = node.args[0]
        if let value = ConfigValues.integer(arg.value), value >= minimum { return value }
        let kind = minimum > 0 ? "a positive integer" : "a non-negative integer"
        error(arg.location, item, "\"\(node.name)\" must be \(kind), got \"\(arg.value)\"")
        return nil
    }

    /// Records a problem; `item` (`upstream "app"`) prefixes the message when given.
    mutating func error(_ location: SourceLocation, _ item: String?, _ message: String) {
        let text = item.map { "\($0): \(message)" } ?? message
        diagnostics.append(ConfigDiagnostic(location: location, message: text))
    }

    /// Records a risky setting that still loads (`--check` prints it as a warning).
    mutating func warning(_ location: SourceLocation, _ item: String?, _ message: String) {
        let text = item.map { "\($0): \(message)" } ?? message
        warnings.append(ConfigDiagnostic(location: location, message: text))
    }
}
