// `provider NAME { ... }`: the identity providers users can sign in with.

extension ConfigValidator {
    /// Options whose value must be an http(s) URL.
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

        var values: [String: String] = [:]
        var displayName: String?
        for child in block.nodes where child.name != "type" {
            let value = child.args.map(\.value).joined(separator: " ")
            if value.isEmpty {
                error(child.args[0].location, item, "\"\(child.name)\" must not be empty")
                valid = false
            } else if let problem = Self.valueProblem(child.name, value, type: resolved) {
                error(child.args[0].location, item, problem)
                valid = false
            } else if child.name == "display_name" {
                displayName = value
            } else {
                values[child.name] = value
            }
        }

        guard let resolved else { return nil }
        if !providerTypes.contains(resolved.type) {
            // Refused rather than half-served: each preset arrives complete, with its tests.
            error(
                node.location, item,
                "type \"\(resolved.type.rawValue)\" is not available in this build yet; use \"type oidc\" with the provider's issuer"
            )
            valid = false
        }
        // A public client (`token_auth none`) authenticates with PKCE alone and has no secret.
        let isPublicClient =
            Self.takesTokenAuth(resolved.type)
            && block.first("token_auth")?.args[0].value == TokenAuthMethod.none.rawValue
        for key in Self.requiredOptions(resolved.type, useOAuth2: resolved.useOAuth2)
        where !block.has(key) && !(key == "client_secret" && isPublicClient) {
            error(node.location, item, "\"\(key)\" is required")
            valid = false
        }
        guard valid else { return nil }
        return ProviderConfig(
            name: name, displayName: displayName ?? Self.presetDisplayName(resolved.type) ?? name,
            settings: Self.providerSettings(resolved.type, useOAuth2: resolved.useOAuth2, values),
            caFile: values["ca_file"], location: node.location)
    }

    /// What is wrong with one option's value for a block of `type` (nil when unknown), if anything.
    private static func valueProblem(
        _ key: String, _ value: String, type: (type: ProviderType, useOAuth2: Bool)?
    ) -> String? {
        if urlOptionKeys.contains(key) {
            if !ConfigValues.isHTTPURL(value) {
                return "\"\(key)\" must be an http:// or https:// URL, got \"\(value)\""
            }
            // Twitter's URLs are signed (OAuth 1.0a) or extended with a query as written.
            if type?.type == .twitter, value.contains(where: { $0 == " " || $0 == "#" }) {
                return "\"\(key)\" must be an http:// or https:// URL without spaces or a fragment, got \"\(value)\""
            }
            return nil
        }
        switch key {
        case "token_auth" where TokenAuthMethod(rawValue: value) == nil:
            let methods = TokenAuthMethod.allCases.map(\.rawValue).joined(separator: ", ")
            return "\"token_auth\" must be one of: \(methods), got \"\(value)\""
        case "tenant" where type?.type == .microsoft && MicrosoftTenant(value) == nil:
            return MicrosoftTenant.rule + ", got \"\(value)\""
        case "ca_file":
            return ConfigFileSystem.readProblem(value).map { "\"ca_file\" \"\(value)\" cannot be read: \($0)" }
        default:
            return nil
        }
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

    /// Whether the type reads `token_auth` (all but Twitter's two, whose protocols fix it).
    static func takesTokenAuth(_ type: ProviderType) -> Bool {
        type != .twitter
    }

    /// The options a provider of this type cannot work without (`client_secret` unless
    /// `token_auth none`, where the type takes `token_auth`).
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
