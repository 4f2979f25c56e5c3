// `type oauth2`: any OAuth 2.0 server with an authorization, a token and a userinfo endpoint.
import Dispatch
import GatewayConfig
import GatewayOutbound
import Logging

/// Signs users in with a plain OAuth 2.0 server (no OpenID Connect): the authorization-code
/// flow with PKCE S256, then one `GET userinfo_url` with the access token.
///
/// Built from `GenericOAuth2Settings`: the endpoints, the client, and the claim names
/// (`claim_id` default `id`, then `sub`). The email counts as verified only when the userinfo
/// document says so with `email_verified`.
///
/// `Sendable`: it holds only constants. Calls and completions happen on `queue`.
public final class GenericOAuth2Provider: OAuth2SignInProvider, Sendable {
    public let name: String
    public let displayName: String
    public let client: OAuth2Client
    public let userinfoURL: String
    public let claims: OAuth2ClaimMapping
    /// Groups and rule claims from the same userinfo document.
    public let ruleClaims: RuleClaimReader
    public let queue: DispatchQueue
    public var isReady: Bool { true }

    public init(
        name: String, displayName: String, settings: GenericOAuth2Settings, http: OutboundHTTP,
        queue: DispatchQueue, logger: Logger?
    ) {
        self.name = name
        self.displayName = displayName
        client = OAuth2Client(
            name: name, client: settings.client, authorizeURL: settings.authorizeURL, tokenURL: settings.tokenURL,
            http: http, logger: logger)
        userinfoURL = settings.userinfoURL
        claims = OAuth2ClaimMapping(settings.claims)
        ruleClaims = RuleClaimReader(settings.claims)
        self.queue = queue
    }

    func fetchIdentity(token: OAuth2AccessToken, completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void) {
        client.getJSON(userinfoURL, token: token, label: "userinfo") { result in
            completion(
                result.flatMap { response in
                    self.claims.identity(from: response.json, provider: self.name).map { identity in
                        var identity = identity
                        self.ruleClaims.read(response.json, into: &identity)
                        return identity
                    }
                })
        }
    }
}
