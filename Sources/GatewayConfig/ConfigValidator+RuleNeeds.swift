// What providers must read at sign-in for the rules and headers of every location.

extension ConfigValidator {
    /// Sets what each provider reads beyond the profile, from every location's rules and header
    /// preset: GitHub's organisations and teams, and the groups and rule claims of OIDC and
    /// OAuth 2 providers. A session holds only what some location can compare or send.
    static func readingRuleNeeds(_ providers: [ProviderConfig], locations: [LocationConfig]) -> [ProviderConfig] {
        let organizations = locations.contains { $0.access.readsOrganizations }
        let teams = locations.contains { $0.access.readsTeams }
        let groups = locations.contains { $0.access.readsGroups || $0.headerPreset.sendsGroups }
        let kept = locations.reduce(into: Set<String>()) { $0.formUnion($1.access.claimNames) }.sorted()
        func claims(_ names: ClaimNames) -> ClaimNames {
            var names = names
            names.readsGroups = groups
            names.kept = kept
            return names
        }
        return providers.map { provider in
            var result = provider
            switch provider.settings {
            case .github(var settings):
                settings.readsOrganizations = organizations
                settings.readsTeams = teams
                result.settings = .github(settings)
            case .oidc(var settings):
                settings.claims = claims(settings.claims)
                result.settings = .oidc(settings)
            case .google(var settings):
                settings.claims = claims(settings.claims)
                result.settings = .google(settings)
            case .gitlab(var settings):
                settings.claims = claims(settings.claims)
                result.settings = .gitlab(settings)
            case .microsoft(var settings):
                settings.claims = claims(settings.claims)
                result.settings = .microsoft(settings)
            case .oauth2(var settings):
                settings.claims = claims(settings.claims)
                result.settings = .oauth2(settings)
            case .facebook, .twitter, .twitterOAuth2:
                break
            }
            return result
        }
    }

    /// Whether a `provider` block (by its `type`, else its name) carries claims: OIDC and OAuth 2.
    static func isClaimsProvider(_ node: ConfigNode) -> Bool {
        let type = node.children?.first { $0.name == "type" }?.args.first?.value
        switch ProviderType(rawValue: type ?? node.args[0].value) {
        case .oidc?, .google?, .gitlab?, .microsoft?: return true
        // `provider twitter { type oauth2; }` is Twitter's OAuth 2, whose profile is fixed.
        case .oauth2?: return node.args[0].value != ProviderType.twitter.rawValue
        default: return false
        }
    }
}
