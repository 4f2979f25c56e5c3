// `provider github`: GitHub's OAuth app flow and its REST API (github.com or GitHub Enterprise Server).
import Dispatch
import GatewayConfig
import Logging

/// Signs users in with a GitHub OAuth app: the authorization-code flow with PKCE S256, then the
/// REST API for the profile (`GET /user`), the emails (`GET /user/emails`) and, when a
/// location's rules need them, the organisations (`GET /user/orgs`).
///
/// Which email counts as verified: only the account's *primary* email, and only when
/// `/user/emails` marks it `verified`. Without one, the identity carries the profile's public
/// email, unverified (or none), so it never links to another user.
///
/// Options: `client_id`, `client_secret`, `scopes` (default `read:user user:email`),
/// `token_auth` (default `client_secret_post`, as GitHub documents), `organizations` (`on`
/// adds `read:org` and reads the organisations; set by the gateway when a location has
/// `allow github_org`), and `authorize_url`, `token_url`, `api_url` for GitHub Enterprise
/// Server (`https://HOST/login/oauth/...` and `https://HOST/api/v3`) and tests.
///
/// `Sendable`: it holds only constants. Calls and completions happen on `queue`.
public final class GitHubProvider: OAuth2SignInProvider, Sendable {
    public static let defaultAuthorizeURL = "https://github.com/login/oauth/authorize"
    public static let defaultTokenURL = "https://github.com/login/oauth/access_token"
    public static let defaultAPIURL = "https://api.github.com"
    public static let defaultScopes = "read:user user:email"
    /// Lets `/user/orgs` list private memberships too.
    public static let organizationScope = "read:org"
    /// GitHub's documented media type for the REST API.
    static let mediaType = "application/vnd.github+json"
    static let apiVersionHeader = ("X-GitHub-Api-Version", "2022-11-28")
    /// Lists are read 100 per page, and at most this many pages.
    static let maxPages = 10

    public let name: String
    public let displayName: String
    public let client: OAuth2Client
    /// The REST API base, without a trailing slash.
    public let apiURL: String
    /// Whether organisations are read (`organizations on`).
    public let readsOrganizations: Bool
    public let queue: DispatchQueue
    let logger: Logger?
    public var isReady: Bool { true }

    public init(config: ProviderConfig, http: OutboundHTTP, queue: DispatchQueue, logger: Logger?) {
        let problems = Self.problems(in: config)
        precondition(problems.isEmpty, "provider \"\(config.name)\": " + problems.joined(separator: "; "))
        name = config.name
        displayName = config.displayName
        readsOrganizations = config.options["organizations"] == "on"
        var client = OAuth2Client(
            config: config, authorizeURL: Self.defaultAuthorizeURL, tokenURL: Self.defaultTokenURL,
            defaultScopes: Self.defaultScopes, defaultAuthentication: .clientSecretPost, http: http, logger: logger)
        if readsOrganizations, !client.scopes.contains(Self.organizationScope) {
            client.scopes.append(Self.organizationScope)
        }
        self.client = client
        apiURL = OAuth2Client.join(config.options["api_url"] ?? Self.defaultAPIURL, "")
        self.queue = queue
        self.logger = logger
    }

    /// What is wrong with the block, one message per problem (empty if usable).
    public static func problems(in config: ProviderConfig) -> [String] {
        var problems = OAuth2Client.problems(in: config)
        if let value = config.options["organizations"], value != "on", value != "off" {
            problems.append("\"organizations\" must be \"on\" or \"off\"")
        }
        return problems
    }
}
