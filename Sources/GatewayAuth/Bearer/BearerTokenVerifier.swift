// Verifies `Authorization: Bearer` JWTs from one issuer: discovery, its JWKS, then the claims.
import Dispatch
import GatewayOutbound
import Logging

/// One issuer and audience of `accept bearer`, on one loop. Discovery finds the JWKS; an
/// unknown `kid` refetches it at most once a minute (across loops with a shared `RefetchLimit`). Algorithms come from
/// `JWTVerifier.tokenAlgorithms` (never `none`, never HS*), checked before any key is fetched.
///
/// `@unchecked Sendable`: every method and completion runs on `queue`, like `OIDCProvider`.
public final class BearerTokenVerifier: @unchecked Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The token is refused; the description is safe to send back and to log.
        case invalid(JWTError)
        /// Discovery or the JWKS is not available yet: the issuer is unreachable.
        case unavailable

        public var description: String {
            switch self {
            case .invalid(let error): error.description
            case .unavailable: "the token issuer's keys are unavailable"
            }
        }
    }

    /// An unknown `kid` refetches the JWKS at most this often.
    public static let refetchInterval: Duration = .seconds(60)

    public let issuer: String
    public let audience: String
    public let discovery: OIDCDiscovery
    public let keys: JWKSCache
    private let timing: OIDCTiming

    public init(
        issuer: String, audience: String, http: OutboundHTTP, queue: DispatchQueue, logger: Logger? = nil,
        timing: OIDCTiming = OIDCTiming(), refetchInterval: Duration = BearerTokenVerifier.refetchInterval,
        sharedLimit: RefetchLimit? = nil
    ) {
        self.issuer = issuer
        self.audience = audience
        self.timing = timing
        discovery = OIDCDiscovery(
            policy: .exact(issuer), http: http, queue: queue, logger: logger,
            initialBackoff: timing.discoveryInitialBackoff, maxBackoff: timing.discoveryMaxBackoff)
        keys = JWKSCache(
            http: http, logger: logger, minimumRefetchInterval: refetchInterval, monotonicClock: timing.monotonicClock,
            sharedLimit: sharedLimit)
    }

    /// Discovery (retried until it succeeds), then a first JWKS fetch.
    public func start() {
        discovery.onReady = { [weak self] metadata in
            guard let self else { return }
            self.keys.jwksURI = metadata.jwksURI
            self.keys.refresh()
        }
        discovery.start()
    }

    /// The verified claims of `token`, or why not. Completes on `queue`, exactly once.
    public func verify(_ token: String, completion: @escaping (Result<JWTClaims, Failure>) -> Void) {
        guard discovery.isReady else { return completion(.failure(.unavailable)) }
        keys.verify(token, allowed: JWTVerifier.tokenAlgorithms) { [self] result in
            switch result {
            case .failure(.keysUnavailable): completion(.failure(.unavailable))
            case .failure(.invalid(let error)): completion(.failure(.invalid(error)))
            case .success(let claims):
                do throws(JWTError) {
                    try check(claims, now: timing.wallClock())
                    completion(.success(claims))
                } catch {
                    completion(.failure(.invalid(error)))
                }
            }
        }
    }

    /// `iss` and `aud` exact, `exp` required, `nbf`/`iat` not in the future, a `sub`.
    func check(_ claims: JWTClaims, now: Double) throws(JWTError) {
        guard let iss = claims.issuer else { throw .missingClaim("iss") }
        guard iss == issuer else { throw .issuerMismatch }
        try TokenClaimRules.checkAudience(claims, audience)
        try TokenClaimRules.checkTimes(
            claims, now: now, skew: OIDCTiming.seconds(timing.clockSkew), requireExpiry: true, requireIssuedAt: false)
        _ = try TokenClaimRules.subject(claims)
    }
}
