// A checked `provider` block's values turned into its type's settings, with every default filled in.

extension ConfigValidator {
    /// The settings of a block whose values passed `provider(_:)`'s checks. A value that is
    /// missing although required has been reported; it reads as empty here and the load fails.
    static func providerSettings(_ type: ProviderType, useOAuth2: Bool, _ values: [String: String])
        -> ProviderSettings
    {
        func value(_ key: String) -> String { values[key] ?? "" }
        func client(scopes: [String], tokenAuth: TokenAuthMethod) -> OAuthClientSettings {
            OAuthClientSettings(
                clientID: value("client_id"), clientSecret: values["client_secret"],
                tokenAuth: values["token_auth"].flatMap(TokenAuthMethod.init(rawValue:)) ?? tokenAuth,
                scopes: values["scopes"].map(scopeList) ?? scopes)
        }
        let claims = ClaimNames(
            id: values["claim_id"], email: values["claim_email"] ?? ClaimNames.defaultEmail,
            name: values["claim_name"] ?? ClaimNames.defaultName,
            groups: values["claim_groups"] ?? ClaimNames.defaultGroups)
        switch type {
        case .oidc, .google, .gitlab:
            let presetIssuer = type == .google ? OIDCSettings.googleIssuer : OIDCSettings.gitlabIssuer
            let issuer = values["issuer"] ?? (type == .oidc ? "" : presetIssuer)
            let settings = OIDCSettings(
                issuer: issuer,
                client: client(scopes: OIDCSettings.defaultScopes, tokenAuth: OIDCSettings.defaultTokenAuth),
                claims: claims)
            return type == .oidc ? .oidc(settings) : type == .google ? .google(settings) : .gitlab(settings)
        case .microsoft:
            return .microsoft(
                MicrosoftSettings(
                    tenant: values["tenant"].flatMap(MicrosoftTenant.init) ?? MicrosoftSettings.defaultTenant,
                    loginURL: values["issuer"] ?? MicrosoftSettings.defaultLoginURL,
                    client: client(scopes: OIDCSettings.defaultScopes, tokenAuth: OIDCSettings.defaultTokenAuth),
                    claims: claims))
        case .github:
            return .github(
                GitHubSettings(
                    client: client(scopes: GitHubSettings.defaultScopes, tokenAuth: GitHubSettings.defaultTokenAuth),
                    authorizeURL: values["authorize_url"] ?? GitHubSettings.defaultAuthorizeURL,
                    tokenURL: values["token_url"] ?? GitHubSettings.defaultTokenURL,
                    apiURL: values["api_url"] ?? GitHubSettings.defaultAPIURL))
        case .facebook:
            return .facebook(
                FacebookSettings(
                    client: client(
                        scopes: FacebookSettings.defaultScopes, tokenAuth: FacebookSettings.defaultTokenAuth),
                    authorizeURL: values["authorize_url"] ?? FacebookSettings.defaultAuthorizeURL,
                    tokenURL: values["token_url"] ?? FacebookSettings.defaultTokenURL,
                    apiURL: values["api_url"] ?? FacebookSettings.defaultAPIURL))
        case .twitter where useOAuth2:
            let scopes = values["scopes"].map(scopeList) ?? []
            return .twitterOAuth2(
                TwitterOAuth2Settings(
                    clientID: value("client_id"), clientSecret: value("client_secret"),
                    scopes: scopes.isEmpty ? TwitterOAuth2Settings.defaultScopes : scopes,
                    authorizeURL: values["authorize_url"] ?? TwitterOAuth2Settings.defaultAuthorizeURL,
                    tokenURL: values["token_url"] ?? TwitterOAuth2Settings.defaultTokenURL,
                    apiURL: values["api_url"] ?? TwitterOAuth2Settings.defaultAPIURL))
        case .twitter:
            return .twitter(
                TwitterOAuth1Settings(
                    consumerKey: value("consumer_key"), consumerSecret: value("consumer_secret"),
                    requestTokenURL: values["request_token_url"] ?? TwitterOAuth1Settings.defaultRequestTokenURL,
                    authorizeURL: values["authorize_url"] ?? TwitterOAuth1Settings.defaultAuthorizeURL,
                    accessTokenURL: values["access_token_url"] ?? TwitterOAuth1Settings.defaultAccessTokenURL,
                    apiURL: values["api_url"] ?? TwitterOAuth1Settings.defaultAPIURL))
        case .oauth2:
            return .oauth2(
                GenericOAuth2Settings(
                    client: client(
                        scopes: GenericOAuth2Settings.defaultScopes, tokenAuth: GenericOAuth2Settings.defaultTokenAuth),
                    authorizeURL: value("authorize_url"), tokenURL: value("token_url"),
                    userinfoURL: value("userinfo_url"), claims: claims))
        }
    }

    /// `scopes read:user, user:email` → `["read:user", "user:email"]`: spaces and commas separate.
    static func scopeList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }
}
