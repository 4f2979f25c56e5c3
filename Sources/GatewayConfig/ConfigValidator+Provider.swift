// `provider NAME { ... }`: the identity providers users can sign in with.

extension ConfigValidator {
    /// Options whose value must be an http(s) URL.
    /// How a client authenticates at a token endpoint (`none`: a public client, PKCE only).
    static let tokenAuthMethods = ["client_secret_basic", "client_secret_post", "none"]

    private static let urlOptionKeys: Set = [
        "issuer", "authorize_url", "token_url", "api_url", "userinfo_url", "request_token_url",
        "access_token_url",
    ]

    private static var typeList: String {
        ProviderType.allCases.map(\.rawValue).joined(separator: ", ")
    }

    mutating func provider(_ node: ConfigNode) -> ProviderConfig? {
        let nameArg = node.args[0]
        let name = nameArg.value
        let item = "provider \"\(name)\""
        var valid = true
        if !ConfigValues.isSimpleName(name) {
            // The name becomes part of URLs (`/auth/NAME/callback`).
            error(nameArg.location, item, "name may contain only letters, digits, \"-\" and \"_\"")
            valid = false
        }
        let block = screen(node.children ?? [], in: .provider, item: item)

        let resolved: (type: ProviderType, useOAuth2: Bool)?
        if let typeNode = block.first("type") {
            resolved = providerType(typeNode.args[0], blockName: name, item: item)
        } else if block.has("type") {
            resolved = nil  // written but unreadable; already reported
        } else if let preset = ProviderType(rawValue: name) {
            resolved = (preset, false)
        } else {
            error(node.location, item, "\"type\" is required (one of: \(Self.typeList))")
            resolved = nil
        }

        var options: [String: String] = [:]
        var displayName: String?
        for child in block.nodes where child.name != "type" {
            let value = child.args.map(\.value).joined(separator: " ")
            if value.isEmpty {
                error(child.args[0].location, item, "\"\(child.name)\" must not be empty")
                valid = false
            } else if Self.urlOptionKeys.contains(child.name), !ConfigValues.isHTTPURL(value) {
                error(
                    child.args[0].location, item,
                    "\"\(child.name)\" must be an http:// or https:// URL, got \"\(value)\"")
                valid = false
            } else if child.name == "token_auth", !Self.tokenAuthMethods.contains(value) {
                error(
                    child.args[0].location, item,
                    "\"token_auth\" must be one of: \(Self.tokenAuthMethods.joined(separator: ", ")), got \"\(value)\"")
                valid = false
            } else if child.name == "display_name" {
                displayName = value
            } else {
                options[child.name] = value
            }
        }

        guard let resolved else { return nil }
        if !providerTypes.contains(resolved.type) {
            // Refused rather than half-served: each preset arrives complete, with its tests.
            error(
                node.location, item,
                "type \"\(resolved.type.rawValue)\" is not available in this build yet; use \"type oidc\" with the provider's issuer")
            valid = false
        }
        for key in Self.requiredOptions(resolved.type, useOAuth2: resolved.useOAuth2)
        where !block.has(key) {
            error(node.location, item, "\"\(key)\" is required")
            valid = false
        }
        guard valid else { return nil }
        return ProviderConfig(
            name: name, type: resolved.type, useOAuth2: resolved.useOAuth2,
            displayName: displayName ?? Self.presetDisplayName(resolved.type) ?? name,
            options: options, location: node.location)
    }

    /// `type X;` — a ProviderType, or for the `twitter` block `oauth1` / `oauth2` to pick
    /// Twitter's protocol.
    private mutating func providerType(_ arg: ConfigArgument, blockName: String, item: String)
        -> (type: ProviderType, useOAuth2: Bool)?
    {
        let isTwitterBlock = blockName == ProviderType.twitter.rawValue
        switch arg.value {
        case "oauth1" where isTwitterBlock: return (.twitter, false)
        case "oauth2" where isTwitterBlock: return (.twitter, true)
        case "oauth1":
            error(arg.location, item, "type \"oauth1\" is only valid in \"provider twitter\"")
            return nil
        default:
            if let type = ProviderType(rawValue: arg.value) { return (type, false) }
            error(arg.location, item, "unknown type \"\(arg.value)\" (one of: \(Self.typeList))")
            return nil
        }
    }

    /// The options a provider of this type cannot work without.
    static func requiredOptions(_ type: ProviderType, useOAuth2: Bool) -> [String] {
        let client = ["client_id", "client_secret"]
        switch type {
        case .twitter: return useOAuth2 ? client : ["consumer_key", "consumer_secret"]
        case .github, .google, .facebook, .gitlab, .microsoft: return client
        case .oidc: return client + ["issuer"]
        case .oauth2: return client + ["authorize_url", "token_url", "userinfo_url"]
        }
    }

    /// The sign-in button text of a preset; generic types use the block's name.
    static func presetDisplayName(_ type: ProviderType) -> String? {
        switch type {
        case .github: "GitHub"
        case .google: "Google"
        case .facebook: "Facebook"
        case .gitlab: "GitLab"
        case .microsoft: "Microsoft"
        case .twitter: "Twitter"
        case .oidc, .oauth2: nil
        }
    }
}
