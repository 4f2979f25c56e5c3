// `location PREFIX { ... }`: which paths need sign-in, who may pass, and where they go.

/// The names a location may refer to: every upstream and provider block written, and the
/// top level's `headers` preset, which a location's own replaces.
struct LocationReferences {
    var upstreams: [String]
    var providers: [String]
    var hasGitHubProvider: Bool
    /// Some provider (OIDC or OAuth 2) carries claims, for `group` and `claim` rules.
    var hasClaimsProvider = false
    var headerPreset = HeaderPreset.standard
}

extension ConfigValidator {
    /// Headers an identity header must not replace: the gateway itself sets or strips them.
    private static let reservedHeaders: Set = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te",
        "trailer", "proxy-connection", "cookie", "x-forwarded-for", "x-forwarded-proto",
        "x-forwarded-host",
    ]

    /// The location, or nil if it has errors; and its auth mode when that could be read
    /// (`required` when not written), for the sign-in checks.
    mutating func location(_ node: ConfigNode, references: LocationReferences)
        -> (LocationConfig?, AuthMode?)
    {
        let prefixArg = node.args[0]
        let prefix = prefixArg.value
        let item = "location \"\(prefix)\""
        let errorsBefore = diagnostics.count
        if !prefix.hasPrefix("/") {
            error(prefixArg.location, item, "prefix must start with \"/\"")
        } else if prefix.unicodeScalars.contains(where: Self.isForbiddenInPrefix) {
            error(
                prefixArg.location, item,
                "prefix must not contain \"?\", \"#\", spaces or control characters")
        }
        let block = screen(node.children ?? [], in: .location, item: item)

        var auth: AuthMode? = block.has("auth") ? nil : .required
        var allow: [AllowRule] = []
        var deny: [AllowRule] = []
        var preset = references.headerPreset
        var proxyPass = ""
        var headers: [IdentityField: String] = [:]
        var headerFirsts: [IdentityField: SourceLocation] = [:]
        var passAccessToken = false
        var passAccessTokenAt: SourceLocation?
        var bearer: BearerConfig?
        var assertion: Bool?
        for child in block.nodes {
            switch child.name {
            case "auth":
                let arg = child.args[0]
                auth = AuthMode(rawValue: arg.value)
                if auth == nil {
                    error(
                        arg.location, item,
                        "\"auth\" must be \"required\" or \"off\", got \"\(arg.value)\"")
                }
            case "allow":
                if let rule = accessRule(child, item: item, references: references) {
                    allow.append(rule)
                }
            case "deny":
                if let rule = accessRule(child, item: item, references: references) {
                    deny.append(rule)
                }
            case "headers":
                if let value = headerPreset(child, item: item) { preset = value }
            case "proxy_pass":
                let arg = child.args[0]
                proxyPass = arg.value
                if !references.upstreams.contains(proxyPass) {
                    error(
                        arg.location, item,
                        "proxy_pass names unknown upstream \"\(proxyPass)\""
                            + Self.didYouMean(proxyPass, in: references.upstreams))
                }
            case "identity_header":
                guard let (field, header) = identityHeader(child, item: item) else { break }
                if let first = headerFirsts[field] {
                    error(
                        child.location, item,
                        "duplicate identity_header for \"\(field.rawValue)\" (first defined at \(first))"
                    )
                } else if let other = headers.first(where: {
                    $0.value.lowercased() == header.lowercased()
                }) {
                    error(
                        child.args[1].location, item,
                        "identity_header \"\(header)\" is already used for \"\(other.key.rawValue)\""
                    )
                } else {
                    headerFirsts[field] = child.location
                    headers[field] = header
                }
            case "pass_access_token":
                passAccessToken = boolean(child, item: item) ?? false
                if passAccessToken { passAccessTokenAt = child.location }
            case "accept": bearer = self.bearer(child, item: item)
            case "identity_assertion": assertion = boolean(child, item: item)
            default:
                preconditionFailure("location directive \(child.name) passed screening unhandled")
            }
        }
        if let at = passAccessTokenAt, auth == .off {
            error(at, item, "\"pass_access_token on\" needs \"auth required\": a public path has no session")
        }
        if !block.has("proxy_pass") {
            error(node.location, item, "\"proxy_pass\" is required")
        }
        if auth == .required && !signInAvailable {
            // Until sign-in exists, a protected location could only be served unprotected.
            error(
                node.location, item,
                "\"auth required\" needs sign-in, which this build does not support yet; use \"auth off\" for public paths"
            )
        }
        if bearer != nil && auth == .off, let accept = block.first("accept") {
            error(accept.location, item, "\"accept bearer\" needs \"auth required\": an \"auth off\" location checks nothing")
        }
        guard diagnostics.count == errorsBefore, let auth else { return (nil, auth) }
        var config = LocationConfig(
            prefix: prefix, auth: auth, allow: allow, deny: deny, proxyPass: proxyPass,
            identityHeaders: headers, headerPreset: preset, location: node.location)
        config.passAccessToken = passAccessToken
        (config.bearer, config.identityAssertion) = (bearer, assertion)
        return (config, auth)
    }

    /// `identity_header FIELD HEADER;`
    private mutating func identityHeader(_ node: ConfigNode, item: String) -> (
        IdentityField, String
    )? {
        let fieldArg = node.args[0]
        let headerArg = node.args[1]
        guard let field = IdentityField(rawValue: fieldArg.value) else {
            let fields = IdentityField.allCases.map(\.rawValue).joined(separator: ", ")
            error(
                fieldArg.location, item,
                "identity_header field \"\(fieldArg.value)\" is unknown (one of: \(fields))")
            return nil
        }
        guard ConfigValues.isToken(headerArg.value) else {
            error(
                headerArg.location, item,
                "identity_header \"\(headerArg.value)\" is not a valid header name")
            return nil
        }
        guard !Self.reservedHeaders.contains(headerArg.value.lowercased()) else {
            error(
                headerArg.location, item,
                "identity_header \"\(headerArg.value)\" cannot be used: the gateway manages that header"
            )
            return nil
        }
        return (field, headerArg.value)
    }

    /// A prefix is compared with the request path, which never holds these.
    private static func isForbiddenInPrefix(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "?" || scalar == "#" || scalar.properties.isWhitespace || scalar.value < 0x20
            || scalar.value == 0x7F
    }

    static func didYouMean(_ name: String, in candidates: [String]) -> String {
        EditDistance.nearest(to: name, in: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
    }
}
