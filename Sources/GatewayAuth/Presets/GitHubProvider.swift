// `provider github`: GitHub's OAuth app flow and its REST API (github.com or GitHub Enterprise Server).
import Dispatch
import GatewayConfig
import GatewayOutbound
import Logging

/// Signs users in with a GitHub OAuth app: the authorization-code flow with PKCE S256, then the
/// REST API for the profile (`GET /user`), the emails (`GET /user/emails`) and, when a
/// location's rules need them, the organisations (`GET /user/orgs`) and teams (`GET /user/teams`).
///
/// Which email counts as verified: only the account's *primary* email, and only when
/// `/user/emails` marks it `verified`. Without one, the identity carries the profile's public
/// email, unverified (or none), so it never links to another user.
///
/// Built from `GitHubSettings` (defaults there: scopes `read:user user:email`, `token_auth
/// client_secret_post` as GitHub documents, github.com's URLs). `readsOrganizations`, which the
/// validator sets when a location has `allow github_org`, adds `read:org` and reads the
/// organisations; `readsTeams` (`allow github_team`) does the same for teams.
///
/// `Sendable`: it holds only constants. Calls and completions happen on `queue`.
public final class GitHubProvider: OAuth2SignInProvider, Sendable {
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
    /// Whether organisations are read (`GitHubSettings.readsOrganizations`).
    public let readsOrganizations: Bool
    /// Whether teams are read (`GET /user/teams`; `GitHubSettings.readsTeams`).
    public let readsTeams: Bool
    public let queue: DispatchQueue
    let logger: Logger?
    public var isReady: Bool { true }

    public init(
        name: String, displayName: String, settings: GitHubSettings, http: OutboundHTTP, queue: DispatchQueue,
        logger: Logger?
    ) {
        self.name = name
        self.displayName = displayName
        readsOrganizations = settings.readsOrganizations
        readsTeams = settings.readsTeams
        var client = OAuth2Client(
            name: name, client: settings.client, authorizeURL: settings.authorizeURL, tokenURL: settings.tokenURL,
            http: http, logger: logger)
        if readsOrganizations || readsTeams, !client.scopes.contains(Self.organizationScope) {
            client.scopes.append(Self.organizationScope)
        }
        self.client = client
        apiURL = OAuth2Client.join(settings.apiURL, "")
        self.queue = queue
        self.logger = logger
    }
}
