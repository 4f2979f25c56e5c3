// A generic OpenID Connect provider: discovery, the authorization URL, and code redemption.
import Dispatch
import GatewayConfig
import GatewayOutbound
import Logging

/// Signs users in with any OpenID Connect issuer using the authorization-code flow with PKCE
/// (S256), a nonce, and a validated ID token.
///
/// Built from `OIDCSettings` (or `MicrosoftSettings`), which the config validator has checked:
/// `scopes` always gets `openid` added, and `claim_id`, `claim_email`, `claim_name` read the
/// profile from other claims.
///
/// The `google`, `gitlab` and `microsoft` types are this provider with an `OIDCPreset`: a
/// built-in issuer (or Microsoft's `tenant`), its issuer rule, and its claim reading.
///
/// `@unchecked Sendable`: every method must be called on `queue`, and every completion runs
/// there. Callers on other loops hop onto `queue` first.
public final class OIDCProvider: @unchecked Sendable {
    /// The subject claim, unless `claim_id` names another.
    public static let defaultClaimID = "sub"

    /// The provider block's name, reported in `VerifiedIdentity.provider`.
    public let name: String
    /// The sign-in button's text.
    public let displayName: String
    /// Where discovery is fetched from: the issuer, or for Microsoft `{base}/{tenant}/v2.0`.
    public let issuer: String
    /// Which issuer the discovery document and each ID token must name.
    public let issuerPolicy: OIDCIssuerPolicy
    /// Google, GitLab or Microsoft; nil for `type oidc`.
    public let preset: OIDCPreset?
    public let clientID: String
    public let scopes: String
    public let clientAuthentication: OIDCClientAuthentication
    public let queue: DispatchQueue
    public let discovery: OIDCDiscovery
    public let keys: JWKSCache

    let clientSecret: String?
    let claimID: String
    let claimEmail: String
    let claimName: String
    /// Groups and rule claims (`RuleClaimReader`).
    let ruleClaims: RuleClaimReader
    let http: OutboundHTTP
    let logger: Logger?
    let timing: OIDCTiming

    /// `type oidc`, or with `preset` Google's or GitLab's block: the issuer is checked by the
    /// preset's rule.
    public convenience init(
        name: String, displayName: String, settings: OIDCSettings, preset: OIDCPreset? = nil,
        http: OutboundHTTP, queue: DispatchQueue, logger: Logger? = nil, timing: OIDCTiming = OIDCTiming()
    ) {
        precondition(preset != .microsoft, "a microsoft block has MicrosoftSettings")
        self.init(
            name: name, displayName: displayName, preset: preset,
            policy: preset?.issuerPolicy(issuer: settings.issuer) ?? .exact(settings.issuer), client: settings.client,
            claims: settings.claims, http: http, queue: queue, logger: logger, timing: timing)
    }

    /// A `microsoft` block: discovery at `{loginURL}/{tenant}/v2.0`, issuers by the tenant's rule.
    public convenience init(
        name: String, displayName: String, microsoft settings: MicrosoftSettings, http: OutboundHTTP,
        queue: DispatchQueue, logger: Logger? = nil, timing: OIDCTiming = OIDCTiming()
    ) {
        self.init(
            name: name, displayName: displayName, preset: .microsoft,
            policy: settings.tenant.issuerPolicy(base: settings.loginURL), client: settings.client,
            claims: settings.claims, http: http, queue: queue, logger: logger, timing: timing)
    }

    private init(
        name: String, displayName: String, preset: OIDCPreset?, policy: OIDCIssuerPolicy,
        client: OAuthClientSettings, claims: ClaimNames, http: OutboundHTTP, queue: DispatchQueue, logger: Logger?,
        timing: OIDCTiming
    ) {
        self.name = name
        self.displayName = displayName
        self.preset = preset
        self.issuerPolicy = policy
        self.issuer = policy.location
        self.clientID = client.clientID
        self.clientSecret = client.clientSecret
        self.scopes = Self.normalizedScopes(client.scopes)
        self.clientAuthentication = client.tokenAuth
        self.claimID = claims.id ?? Self.defaultClaimID
        self.claimEmail = claims.email
        self.claimName = claims.name
        self.ruleClaims = RuleClaimReader(claims)
        self.http = http
        self.queue = queue
        self.logger = logger
        self.timing = timing
        self.discovery = OIDCDiscovery(
            policy: policy, http: http, queue: queue, logger: logger,
            initialBackoff: timing.discoveryInitialBackoff, maxBackoff: timing.discoveryMaxBackoff)
        self.keys = JWKSCache(
            http: http, logger: logger, minimumRefetchInterval: timing.jwksMinimumRefetchInterval,
            monotonicClock: timing.monotonicClock)
    }

    /// Starts discovery (retrying until it succeeds) and then warms the key cache.
    public func start() {
        discovery.onReady = { [weak self] metadata in
            guard let self else { return }
            if let methods = metadata.codeChallengeMethods, !methods.contains(PKCE.method) {
                self.logger?.warning("issuer does not list S256 PKCE support", metadata: ["issuer": "\(self.issuer)"])
            }
            self.keys.jwksURI = metadata.jwksURI
            self.keys.refresh()
        }
        discovery.start()
    }

    /// True once discovery has succeeded.
    public var isReady: Bool { discovery.isReady }

    /// Fresh random state, nonce and PKCE verifier for one sign-in.
    public func beginAuthorization() -> AuthorizationRequest {
        AuthorizationRequest.generate()
    }

    /// The URL to send the browser to; nil until discovery has succeeded.
    public func authorizationURL(for request: AuthorizationRequest, redirectURI: String) -> String? {
        guard let endpoint = discovery.metadata?.authorizationEndpoint else { return nil }
        let query = OIDCURLEncoding.query([
            ("response_type", "code"),
            ("client_id", clientID),
            ("redirect_uri", redirectURI),
            ("scope", scopes),
            ("state", request.state),
            ("nonce", request.nonce),
            ("code_challenge", PKCE.challenge(for: request.codeVerifier)),
            ("code_challenge_method", PKCE.method),
        ])
        return endpoint + (endpoint.contains("?") ? "&" : "?") + query
    }

    /// `openid` first, then the configured scopes without duplicates.
    static func normalizedScopes(_ configured: [String]) -> String {
        var scopes = ["openid"]
        for scope in configured where !scopes.contains(scope) {
            scopes.append(scope)
        }
        return scopes.joined(separator: " ")
    }
}
