// The entry points: read gateway.conf, parse, validate, and freeze it, or report every problem.

public enum ConfigLoader {
    /// Whether this build can sign users in. While it is false, every `auth required`
    /// location (the default) is an error, so a configuration is never served unprotected.
    public static let signInAvailable = true
    /// Provider types this build can sign in with (all of them; kept as a gate for new types).
    public static let availableProviderTypes: Set<ProviderType> = Set(ProviderType.allCases)

    /// Loads the file at `path`; relative `include`s resolve against its directory.
    public static func load(
        path: String, environment: [String: String] = ProcessEnvironment.current()
    ) throws(ConfigErrors) -> GatewayConfiguration {
        try load(
            path: path, environment: environment, signInAvailable: signInAvailable,
            providerTypes: availableProviderTypes)
    }

    /// Loads configuration text; `file` names it in messages, `baseDirectory` anchors its
    /// relative `include`s.
    public static func load(
        text: String, file: String, environment: [String: String] = [:], baseDirectory: String = "."
    ) throws(ConfigErrors) -> GatewayConfiguration {
        try load(
            text: text, file: file, environment: environment, baseDirectory: baseDirectory,
            canonicalPath: nil, signInAvailable: signInAvailable, providerTypes: availableProviderTypes)
    }

    // MARK: - With the sign-in gate as a parameter (for tests)

    static func load(
        path: String, environment: [String: String], signInAvailable: Bool,
        providerTypes: Set<ProviderType> = Set(ProviderType.allCases)
    ) throws(ConfigErrors) -> GatewayConfiguration {
        switch ConfigFileSystem.readFile(path) {
        case .failure(let failure):
            let location = SourceLocation(file: path, line: 1, column: 1)
            let diagnostic = ConfigDiagnostic(
                location: location, message: "cannot read file: \(failure.reason)")
            throw ConfigErrors(diagnostics: [diagnostic])
        case .success(let text):
            return try load(
                text: text, file: path, environment: environment,
                baseDirectory: ConfigFileSystem.directory(of: path),
                canonicalPath: ConfigFileSystem.canonicalPath(path),
                signInAvailable: signInAvailable, providerTypes: providerTypes)
        }
    }

    static func load(
        text: String, file: String, environment: [String: String], baseDirectory: String,
        canonicalPath: String?, signInAvailable: Bool,
        providerTypes: Set<ProviderType> = Set(ProviderType.allCases)
    ) throws(ConfigErrors) -> GatewayConfiguration {
        var parser = ConfigParser(environment: environment)
        let nodes = parser.parse(
            text: text, file: file, directory: baseDirectory, canonicalPath: canonicalPath)
        var diagnostics = parser.diagnostics
        var configuration: GatewayConfiguration?
        // A broken tree would only produce follow-on errors; report the syntax first.
        if !parser.hasSyntaxErrors {
            var validator = ConfigValidator(signInAvailable: signInAvailable, providerTypes: providerTypes)
            configuration = validator.validate(nodes, sourceFile: file)
            configuration?.warnings = sorted(validator.warnings, fileOrder: parser.files)
            diagnostics += validator.diagnostics
        }
        guard let configuration, diagnostics.isEmpty else {
            throw ConfigErrors(diagnostics: sorted(diagnostics, fileOrder: parser.files))
        }
        return configuration
    }

    /// By file (in the order the files were read), then line, then column; the order found
    /// otherwise.
    private static func sorted(_ diagnostics: [ConfigDiagnostic], fileOrder: [String])
        -> [ConfigDiagnostic]
    {
        func rank(_ file: String) -> Int { fileOrder.firstIndex(of: file) ?? fileOrder.count }
        return diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            let key1 = (rank(x.file), x.line, x.column, a.offset)
            let key2 = (rank(y.file), y.line, y.column, b.offset)
            return key1 < key2
        }.map(\.element)
    }
}
