// One `allow` or `deny` rule of a location, and the `headers` preset.

extension ConfigValidator {
    static let accessRuleKinds = [
        "email", "email_domain", "provider", "user", "github_org", "github_team", "group", "claim", "any",
    ]

    /// `allow|deny email ADDR | email_domain DOMAIN | provider NAME | user ID | github_org ORG |
    /// github_team ORG/TEAM | group NAME | claim NAME VALUE | any`
    mutating func accessRule(_ node: ConfigNode, item: String, references: LocationReferences) -> AllowRule? {
        let directive = node.name
        let kind = node.args[0].value
        guard Self.accessRuleKinds.contains(kind) else {
            let hint = EditDistance.nearest(to: kind, in: Self.accessRuleKinds).map {
                "; did you mean \"\($0)\"?"
            }
            let list = " (one of: \(Self.accessRuleKinds.joined(separator: ", ")))"
            error(node.args[0].location, item, "unknown \(directive) kind \"\(kind)\"" + (hint ?? list))
            return nil
        }
        let values = kind == "any" ? 0 : kind == "claim" ? 2 : 1
        guard node.args.count == values + 1 else {
            let problem = values == 0 ? "takes no value" : values == 1 ? "expects 1 value" : "expects 2 values"
            error(node.location, item, "\"\(directive) \(kind)\" \(problem), got \(node.args.count - 1)")
            return nil
        }
        if kind == "any" { return .anyone }
        let arg = node.args[1]
        let value = arg.value
        let rule = "\(directive) \(kind)"
        switch kind {
        case "email":
            // Sign-in refuses every non-ASCII address (EmailAddress), so such a rule could never match.
            guard value.utf8.allSatisfy({ $0 < 0x80 }) else {
                error(
                    arg.location, item,
                    "\(rule) \"\(value)\" is not plain ASCII; such addresses never count as signed-in emails")
                return nil
            }
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, ConfigValues.isHostName(String(parts[1])),
                !value.contains(where: \.isWhitespace)
            {
                // ASCII only: emails are compared after ASCII lowercasing and nothing else.
                return .email(AccessRules.RuleSet.asciiLowercased(value))
            }
            error(arg.location, item, "\(rule) \"\(value)\" is not an email address")
        case "email_domain":
            let domain = value.hasPrefix("@") ? String(value.dropFirst()) : value
            if ConfigValues.isHostName(domain) { return .emailDomain(domain.lowercased()) }
            error(arg.location, item, "\(rule) \"\(value)\" is not a domain name")
        case "provider":
            if references.providers.contains(value) { return .provider(value) }
            error(
                arg.location, item,
                "\(directive) provider names unknown provider \"\(value)\""
                    + Self.didYouMean(value, in: references.providers))
        case "user":
            if !value.isEmpty { return .user(value) }
            error(arg.location, item, "\(directive) user needs a user id")
        case "github_org":
            guard !value.isEmpty else {
                error(arg.location, item, "\(rule) needs an organization name")
                return nil
            }
            if references.hasGitHubProvider { return .githubOrg(value) }
            error(arg.location, item, "\(rule) needs a provider of type github")
        case "github_team":
            let parts = value.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
                error(arg.location, item, "\(rule) \"\(value)\" must be ORG/TEAM (the team's slug)")
                return nil
            }
            if references.hasGitHubProvider { return .githubTeam(value.lowercased()) }
            error(arg.location, item, "\(rule) needs a provider of type github")
        case "group":
            guard !value.isEmpty else {
                error(arg.location, item, "\(rule) needs a group name")
                return nil
            }
            if requireClaimsProvider(arg, item: item, rule: rule, references: references) { return .group(value) }
        default:  // claim
            return claimRule(node, item: item, rule: rule, references: references)
        }
        return nil
    }

    /// `claim NAME VALUE`: any claim but the email, which only `email` rules read (verified only).
    private mutating func claimRule(
        _ node: ConfigNode, item: String, rule: String, references: LocationReferences
    ) -> AllowRule? {
        let name = node.args[1]
        guard !name.value.isEmpty, !name.value.contains(where: \.isWhitespace) else {
            error(name.location, item, "\(rule) needs a claim name")
            return nil
        }
        guard name.value != "email" else {
            error(
                name.location, item,
                "\(rule) cannot compare \"email\", which may be unverified; use \"\(node.name) email\"")
            return nil
        }
        guard requireClaimsProvider(name, item: item, rule: rule, references: references) else { return nil }
        return .claim(name: name.value, value: node.args[2].value)
    }

    private mutating func requireClaimsProvider(
        _ arg: ConfigArgument, item: String, rule: String, references: LocationReferences
    ) -> Bool {
        if references.hasClaimsProvider { return true }
        error(arg.location, item, "\(rule) needs a provider of type oidc, google, gitlab, microsoft or oauth2")
        return false
    }

    /// `headers default|oauth2-proxy;`
    mutating func headerPreset(_ node: ConfigNode, item: String?) -> HeaderPreset? {
        let arg = node.args[0]
        if let preset = HeaderPreset(rawValue: arg.value) { return preset }
        let presets = HeaderPreset.allCases.map(\.rawValue).joined(separator: ", ")
        error(arg.location, item, "\"headers\" must be one of: \(presets), got \"\(arg.value)\"")
        return nil
    }
}
