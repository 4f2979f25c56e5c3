// `type oauth2`: any OAuth 2.0 server with an authorization, a token and a userinfo endpoint.
import Dispatch
import GatewayConfig
import Logging

/// Signs users in with a plain OAuth 2.0 server (no OpenID Connect): the authorization-code
/// flow with PKCE S256, then one `GET userinfo_url` with the access token.
///
/// Options: `authorize_url`, `token_url`, `userinfo_url` (required), `client_id`,
/// `client_secret`, `scopes` (none by default), `token_auth` (`client_secret_basic` default,
/// `client_secret_post`, `none`), and `claim_id` (default `id`, then `sub`), `claim_email`
/// (`email`), `claim_name` (`name`). The email counts as verified only when the userinfo
/// document says so with `email_verified`.
///
/// `Sendable`: it holds only constants. Calls and completions happen on `queue`.
public final class GenericOAuth2Provider: OAuth2SignInProvider, Sendable {
    public let name: String
    public let displayName: String
    public let client: OAuth2Client
    public let userinfoURL: String
    public let claims: OAuth2ClaimMapping
    public let queue: DispatchQueue
    public var isReady: Bool { true }

    public init(config: ProviderConfig, http: OutboundHTTP, queue: DispatchQueue, logger: Logger?) {
        let problems = Self.problems(in: config)
        precondition(problems.isEmpty, "provider \"\(config.name)\": " + problems.joined(separator: "; "))
        name = config.name
        displayName = config.displayName
        client = OAuth2Client(
            config: config, authorizeURL: config.options["authorize_url"]!, tokenURL: config.options["token_url"]!,
            defaultScopes: "", defaultAuthentication: .clientSecretBasic, http: http, logger: logger)
        userinfoURL = config.options["userinfo_url"]!
        claims = OAuth2ClaimMapping(options: config.options)
        self.queue = queue
    }

    /// What is wrong with the block, one message per problem (empty if usable).
    public static func problems(in config: ProviderConfig) -> [String] {
        OAuth2Client.problems(in: config, required: ["authorize_url", "token_url", "userinfo_url"])
    }

    func fetchIdentity(token: OAuth2AccessToken, completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void) {
        client.getJSON(userinfoURL, token: token, label: "userinfo") { result in
            completion(result.flatMap { self.claims.identity(from: $0.json, provider: self.name) })
        }
    }
}
