// `location PREFIX { ... }`: which paths need sign-in, who may pass, and where they go.

/// The names a location may refer to: every upstream and provider block written.
struct LocationReferences {
    var upstreams: [String]
    var providers: [String]
    var hasGitHubProvider: Bool
}

extension ConfigValidator {
    private static let allowKinds = [
        "email", "email_domain", "provider", "user", "github_org", "any",
    ]

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
        var proxyPass = ""
        var headers: [IdentityField: String] = [:]
        var headerFirsts: [IdentityField: SourceLocation] = [:]
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
                if let rule = allowRule(child, item: item, references: references) {
                    allow.append(rule)
                }
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
            case "accept": bearer = self.bearer(child, item: item)
            case "identity_assertion": assertion = boolean(child, item: item)
            default:
                preconditionFailure("location directive \(child.name) passed screening unhandled")
            }
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
            prefix: prefix, auth: auth, allow: allow, proxyPass: proxyPass,
            identityHeaders: headers, location: node.location)
        (config.bearer, config.identityAssertion) = (bearer, assertion)
        return (config, auth)
    }

    /// `allow email ADDR | email_domain DOMAIN | provider NAME | user ID | github_org ORG | any`
    private mutating func allowRule(
        _ node: ConfigNode, item: String, references: LocationReferences
    )
        -> AllowRule?
    {
        let kind = node.args[0].value
        guard Self.allowKinds.contains(kind) else {
            let hint = EditDistance.nearest(to: kind, in: Self.allowKinds).map {
                "; did you mean \"\($0)\"?"
            }
            let list = " (one of: \(Self.allowKinds.joined(separator: ", ")))"
            error(node.args[0].location, item, "unknown allow kind \"\(kind)\"" + (hint ?? list))
            return nil
        }
        let expected = kind == "any" ? 1 : 2
        guard node.args.count == expected else {
            let problem = kind == "any" ? "takes no value" : "expects 1 value"
            error(node.location, item, "\"allow \(kind)\" \(problem), got \(node.args.count - 1)")
            return nil
        }
        if kind == "any" { return .anyone }
        let arg = node.args[1]
        let value = arg.value
        switch kind {
        case "email":
            // Sign-in refuses every non-ASCII address (EmailAddress), so such a rule could never match.
            guard value.utf8.allSatisfy({ $0 < 0x80 }) else {
                error(
                    arg.location, item,
                    "allow email \"\(value)\" is not plain ASCII; such addresses never count as signed-in emails")
                return nil
            }
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, ConfigValues.isHostName(String(parts[1])),
                !value.contains(where: \.isWhitespace)
            {
                // ASCII only: emails are compared after ASCII lowercasing and nothing else.
                let folded = value.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                return .email(String(decoding: folded, as: UTF8.self))
            }
            error(arg.location, item, "allow email \"\(value)\" is not an email address")
        case "email_domain":
            let domain = value.hasPrefix("@") ? String(value.dropFirst()) : value
            if ConfigValues.isHostName(domain) { return .emailDomain(domain.lowercased()) }
            error(arg.location, item, "allow email_domain \"\(value)\" is not a domain name")
        case "provider":
            if references.providers.contains(value) { return .provider(value) }
            error(
                arg.location, item,
                "allow provider names unknown provider \"\(value)\""
                    + Self.didYouMean(value, in: references.providers))
        case "user":
            if !value.isEmpty { return .user(value) }
            error(arg.location, item, "allow user needs a user id")
        default:  // github_org
            guard !value.isEmpty else {
                error(arg.location, item, "allow github_org needs an organization name")
                return nil
            }
            if references.hasGitHubProvider { return .githubOrg(value) }
            error(arg.location, item, "allow github_org needs a provider of type github")
        }
        return nil
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
