// A generic OpenID Connect provider: discovery, the authorization URL, and code redemption.
import Dispatch
import GatewayConfig
import Logging

/// Signs users in with any OpenID Connect issuer using the authorization-code flow with PKCE
/// (S256), a nonce, and a validated ID token.
///
/// Options of the `provider` block: `issuer`, `client_id` (required), `client_secret`,
/// `scopes` (default `openid email profile`; `openid` is always added), `token_auth`
/// (`client_secret_basic` default, `client_secret_post`, `none`), and `claim_id`,
/// `claim_email`, `claim_name` to read the profile from other claims.
///
/// The `google`, `gitlab` and `microsoft` types are this provider with an `OIDCPreset`: a
/// built-in issuer (or Microsoft's `tenant`), its issuer rule, and its claim reading.
///
/// `@unchecked Sendable`: every method must be called on `queue`, and every completion runs
/// there. Callers on other loops hop onto `queue` first.
public final class OIDCProvider: @unchecked Sendable {
    public static let defaultScopes = "openid email profile"

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
    let http: OutboundHTTP
    let logger: Logger?
    let timing: OIDCTiming

    public init(
        config: ProviderConfig, http: OutboundHTTP, queue: DispatchQueue, logger: Logger? = nil,
        timing: OIDCTiming = OIDCTiming()
    ) {
        let problems = Self.problems(in: config)
        precondition(problems.isEmpty, "provider \"\(config.name)\": " + problems.joined(separator: "; "))
        let config = OIDCPreset.configuration(for: config)
        let options = config.options
        let policy = Self.issuerPolicy(for: config)!
        self.name = config.name
        self.displayName = config.displayName
        self.preset = OIDCPreset(config.type)
        self.issuerPolicy = policy
        self.issuer = policy.location
        self.clientID = options["client_id"]!
        self.clientSecret = options["client_secret"]
        self.scopes = Self.normalizedScopes(options["scopes"] ?? Self.defaultScopes)
        self.clientAuthentication =
            OIDCClientAuthentication(rawValue: options["token_auth"] ?? "") ?? .clientSecretBasic
        self.claimID = options["claim_id"] ?? "sub"
        self.claimEmail = options["claim_email"] ?? "email"
        self.claimName = options["claim_name"] ?? "name"
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

    /// What is wrong with the block for this provider, one message per problem (empty if usable).
    public static func problems(in config: ProviderConfig) -> [String] {
        let config = OIDCPreset.configuration(for: config)
        let preset = OIDCPreset(config.type)
        var problems: [String] = []
        // A preset knows its issuer; Microsoft's `issuer` option is only a login-host override.
        for key in preset == nil ? ["issuer", "client_id"] : ["client_id"] where (config.options[key] ?? "").isEmpty {
            problems.append("\"\(key)\" is required")
        }
        problems += preset?.problems(in: config.options) ?? []
        let auth = config.options["token_auth"]
        if let auth, OIDCClientAuthentication(rawValue: auth) == nil {
            let allowed = OIDCClientAuthentication.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append("\"token_auth\" must be one of: \(allowed)")
        }
        if auth != OIDCClientAuthentication.none.rawValue, (config.options["client_secret"] ?? "").isEmpty {
            problems.append("\"client_secret\" is required unless \"token_auth none\"")
        }
        return problems
    }

    /// The issuer rule of a block whose `problems(in:)` are empty (nil otherwise).
    static func issuerPolicy(for config: ProviderConfig) -> OIDCIssuerPolicy? {
        let config = OIDCPreset.configuration(for: config)
        if let preset = OIDCPreset(config.type) { return preset.issuerPolicy(options: config.options) }
        guard let issuer = config.options["issuer"], !issuer.isEmpty else { return nil }
        return .exact(issuer)
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

    /// `openid` first, then the configured scopes without duplicates; commas count as spaces.
    static func normalizedScopes(_ configured: String) -> String {
        var scopes = ["openid"]
        for scope in configured.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        where !scopes.contains(scope) {
            scopes.append(scope)
        }
        return scopes.joined(separator: " ")
    }
}
