// The typed settings of each provider type, as the validator builds them from a `provider` block.

/// What a provider needs, by type. The validator has checked every rule (required keys, URLs,
/// `token_auth` against `client_secret`, Microsoft's tenant) and filled in every default, so a
/// provider is built from these without looking at strings again.
public enum ProviderSettings: Sendable, Hashable {
    /// `type oidc`: any OpenID Connect issuer.
    case oidc(OIDCSettings)
    /// `google`: OIDC at `OIDCSettings.googleIssuer` unless `issuer` replaces it.
    case google(OIDCSettings)
    /// `gitlab`: OIDC at `OIDCSettings.gitlabIssuer`, or a self-hosted GitLab's `issuer`.
    case gitlab(OIDCSettings)
    /// `microsoft`: OIDC at `{loginURL}/{tenant}/v2.0`.
    case microsoft(MicrosoftSettings)
    case github(GitHubSettings)
    case facebook(FacebookSettings)
    /// `twitter` (or `type oauth1` in `provider twitter`): OAuth 1.0a.
    case twitter(TwitterOAuth1Settings)
    /// `type oauth2` in `provider twitter`: Twitter's OAuth 2.0.
    case twitterOAuth2(TwitterOAuth2Settings)
    /// `type oauth2`: any OAuth 2.0 server with a userinfo endpoint.
    case oauth2(GenericOAuth2Settings)

    public var type: ProviderType {
        switch self {
        case .oidc: .oidc
        case .google: .google
        case .gitlab: .gitlab
        case .microsoft: .microsoft
        case .github: .github
        case .facebook: .facebook
        case .twitter, .twitterOAuth2: .twitter
        case .oauth2: .oauth2
        }
    }
}

/// `token_auth`: how the gateway authenticates at a token endpoint.
public enum TokenAuthMethod: String, Sendable, Hashable, CaseIterable {
    /// HTTP Basic with `client_id:client_secret` (RFC 6749 §2.3.1).
    case clientSecretBasic = "client_secret_basic"
    /// `client_id` and `client_secret` in the form.
    case clientSecretPost = "client_secret_post"
    /// A public client: `client_id` only, relying on PKCE. The one method without a secret.
    case none
}

/// The gateway's registration at an OAuth 2.0 or OIDC server.
public struct OAuthClientSettings: Sendable, Hashable {
    /// `client_id ID;` — required.
    public var clientID: String
    /// `client_secret SECRET;` — required unless `tokenAuth` is `.none`.
    public var clientSecret: String?
    /// `token_auth METHOD;` — the default depends on the type (`defaultTokenAuth` of each).
    public var tokenAuth: TokenAuthMethod
    /// `scopes SCOPE...;` — as written, split at spaces and commas; the type's default when absent.
    public var scopes: [String]

    public init(clientID: String, clientSecret: String?, tokenAuth: TokenAuthMethod, scopes: [String]) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenAuth = tokenAuth
        self.scopes = scopes
    }
}

/// `type oidc`, `google` and `gitlab`.
public struct OIDCSettings: Sendable, Hashable {
    public static let defaultScopes = ["openid", "email", "profile"]
    public static let defaultTokenAuth = TokenAuthMethod.clientSecretBasic
    public static let googleIssuer = "https://accounts.google.com"
    public static let gitlabIssuer = "https://gitlab.com"

    /// `issuer URL;` — discovery is at `{issuer}/.well-known/openid-configuration`. Required by
    /// `type oidc`; Google's and GitLab's default to their own.
    public var issuer: String
    public var client: OAuthClientSettings
    public var claims: ClaimNames

    public init(issuer: String, client: OAuthClientSettings, claims: ClaimNames = ClaimNames()) {
        self.issuer = issuer
        self.client = client
        self.claims = claims
    }
}

/// `microsoft`: Microsoft Entra ID through OIDC.
public struct MicrosoftSettings: Sendable, Hashable {
    /// Microsoft's login host; `{loginURL}/{tenant}/v2.0` is a tenant's issuer.
    public static let defaultLoginURL = "https://login.microsoftonline.com"
    /// Work, school and personal accounts.
    public static let defaultTenant = MicrosoftTenant.common

    /// `tenant ID;` — which accounts may sign in. Default `common`.
    public var tenant: MicrosoftTenant
    /// `issuer URL;` — here it replaces the login host (tests, national clouds), not the issuer.
    public var loginURL: String
    public var client: OAuthClientSettings
    public var claims: ClaimNames

    public init(
        tenant: MicrosoftTenant = Self.defaultTenant, loginURL: String = Self.defaultLoginURL,
        client: OAuthClientSettings, claims: ClaimNames = ClaimNames()
    ) {
        self.tenant = tenant
        self.loginURL = loginURL
        self.client = client
        self.claims = claims
    }
}

/// `github`: github.com, or GitHub Enterprise Server through the URL overrides.
public struct GitHubSettings: Sendable, Hashable {
    public static let defaultAuthorizeURL = "https://github.com/login/oauth/authorize"
    public static let defaultTokenURL = "https://github.com/login/oauth/access_token"
    public static let defaultAPIURL = "https://api.github.com"
    public static let defaultScopes = ["read:user", "user:email"]
    /// As GitHub documents.
    public static let defaultTokenAuth = TokenAuthMethod.clientSecretPost

    public var client: OAuthClientSettings
    /// `authorize_url URL;` — Enterprise Server: `https://HOST/login/oauth/authorize`.
    public var authorizeURL: String
    /// `token_url URL;` — Enterprise Server: `https://HOST/login/oauth/access_token`.
    public var tokenURL: String
    /// `api_url URL;` — the REST API base; Enterprise Server: `https://HOST/api/v3`.
    public var apiURL: String
    /// Whether the organisations are read (and `read:org` requested). Not written in the block:
    /// the validator sets it when any location has an `allow github_org` rule.
    public var readsOrganizations: Bool
    /// Whether the teams are read (`GET /user/teams`, with `read:org`). Set by the validator when
    /// any location has a `github_team` rule.
    public var readsTeams = false

    public init(
        client: OAuthClientSettings, authorizeURL: String = Self.defaultAuthorizeURL,
        tokenURL: String = Self.defaultTokenURL, apiURL: String = Self.defaultAPIURL, readsOrganizations: Bool = false
    ) {
        self.client = client
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.apiURL = apiURL
        self.readsOrganizations = readsOrganizations
    }
}

/// `facebook`: Facebook Login and the Graph API.
public struct FacebookSettings: Sendable, Hashable {
    public static let graphVersion = "v19.0"
    public static let defaultAuthorizeURL = "https://www.facebook.com/\(graphVersion)/dialog/oauth"
    public static let defaultTokenURL = "https://graph.facebook.com/\(graphVersion)/oauth/access_token"
    public static let defaultAPIURL = "https://graph.facebook.com/\(graphVersion)"
    public static let defaultScopes = ["email", "public_profile"]
    public static let defaultTokenAuth = TokenAuthMethod.clientSecretPost

    public var client: OAuthClientSettings
    /// `authorize_url URL;` — for tests.
    public var authorizeURL: String
    /// `token_url URL;` — for tests.
    public var tokenURL: String
    /// `api_url URL;` — the Graph API base, with its version.
    public var apiURL: String

    public init(
        client: OAuthClientSettings, authorizeURL: String = Self.defaultAuthorizeURL,
        tokenURL: String = Self.defaultTokenURL, apiURL: String = Self.defaultAPIURL
    ) {
        self.client = client
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.apiURL = apiURL
    }
}

/// `twitter` with OAuth 1.0a. Its URLs have no space and no fragment (they are signed).
public struct TwitterOAuth1Settings: Sendable, Hashable {
    public static let defaultRequestTokenURL = "https://api.twitter.com/oauth/request_token"
    public static let defaultAuthorizeURL = "https://api.twitter.com/oauth/authenticate"
    public static let defaultAccessTokenURL = "https://api.twitter.com/oauth/access_token"
    public static let defaultAPIURL = "https://api.twitter.com"

    /// `consumer_key KEY;` — required.
    public var consumerKey: String
    /// `consumer_secret SECRET;` — required.
    public var consumerSecret: String
    /// `request_token_url URL;`
    public var requestTokenURL: String
    /// `authorize_url URL;`
    public var authorizeURL: String
    /// `access_token_url URL;`
    public var accessTokenURL: String
    /// `api_url URL;` — the base of `verify_credentials`.
    public var apiURL: String

    public init(
        consumerKey: String, consumerSecret: String, requestTokenURL: String = Self.defaultRequestTokenURL,
        authorizeURL: String = Self.defaultAuthorizeURL, accessTokenURL: String = Self.defaultAccessTokenURL,
        apiURL: String = Self.defaultAPIURL
    ) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.requestTokenURL = requestTokenURL
        self.authorizeURL = authorizeURL
        self.accessTokenURL = accessTokenURL
        self.apiURL = apiURL
    }
}

/// `twitter` with `type oauth2`: a confidential client (HTTP Basic); `token_auth` does not apply.
/// Its URLs have no space and no fragment, like OAuth 1.0a's.
public struct TwitterOAuth2Settings: Sendable, Hashable {
    public static let defaultAuthorizeURL = "https://twitter.com/i/oauth2/authorize"
    public static let defaultTokenURL = "https://api.twitter.com/2/oauth2/token"
    public static let defaultAPIURL = TwitterOAuth1Settings.defaultAPIURL
    /// What `/2/users/me` needs; also used when `scopes` names none.
    public static let defaultScopes = ["users.read", "tweet.read"]

    /// `client_id ID;` — required.
    public var clientID: String
    /// `client_secret SECRET;` — required.
    public var clientSecret: String
    /// `scopes SCOPE...;`, split at spaces and commas.
    public var scopes: [String]
    /// `authorize_url URL;`
    public var authorizeURL: String
    /// `token_url URL;`
    public var tokenURL: String
    /// `api_url URL;` — the base of `/2/users/me`.
    public var apiURL: String

    public init(
        clientID: String, clientSecret: String, scopes: [String] = Self.defaultScopes,
        authorizeURL: String = Self.defaultAuthorizeURL, tokenURL: String = Self.defaultTokenURL,
        apiURL: String = Self.defaultAPIURL
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.apiURL = apiURL
    }
}

/// `type oauth2`: authorization code with PKCE, then one userinfo call.
public struct GenericOAuth2Settings: Sendable, Hashable {
    /// None: a plain OAuth 2.0 server has no standard scopes.
    public static let defaultScopes: [String] = []
    public static let defaultTokenAuth = TokenAuthMethod.clientSecretBasic

    public var client: OAuthClientSettings
    /// `authorize_url URL;` — required.
    public var authorizeURL: String
    /// `token_url URL;` — required.
    public var tokenURL: String
    /// `userinfo_url URL;` — required; read with the access token.
    public var userinfoURL: String
    public var claims: ClaimNames

    public init(
        client: OAuthClientSettings, authorizeURL: String, tokenURL: String, userinfoURL: String,
        claims: ClaimNames = ClaimNames()
    ) {
        self.client = client
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.userinfoURL = userinfoURL
        self.claims = claims
    }
}
