// OIDC Back-Channel Logout 1.0 §2.6: the checks of a logout token after its signature.

/// What a valid logout token names: the provider's session (`sid`), its user (`sub`), or both.
public struct LogoutToken: Sendable, Equatable {
    /// The member `events` must hold (§2.4).
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
    /// How long after `iat` a token without `exp` is still taken (and its `jti` remembered).
    public static let maximumAge: Double = 600

    public var sid: String?
    public var sub: String?
    public var jti: String
    /// Seconds the `jti` must be remembered from now: to the token's end, plus the skew.
    public var replayWindow: Int

    /// Checks `claims` (already verified against the issuer's keys) for `clientID`.
    public init(claims: JWTClaims, issuerRule: IssuerRule, clientID: String, now: Double, skew: Double)
        throws(JWTError)
    {
        try issuerRule.check(claims)
        try TokenClaimRules.checkAudience(claims, clientID)
        try TokenClaimRules.checkTimes(claims, now: now, skew: skew, requireExpiry: false, requireIssuedAt: true)
        let iat = claims.issuedAt!
        guard iat >= now - Self.maximumAge - skew else { throw .expired }
        guard let jti = claims.string("jti"), !jti.isEmpty else { throw .missingClaim("jti") }
        guard let events = claims["events"]?.objectValue, case .object? = events[Self.event] else {
            throw .missingClaim("events")
        }
        // §2.4: a logout token is not an ID token; one with a nonce is refused.
        guard claims["nonce"] == nil else { throw .malformed("a logout token must not carry a nonce") }
        let sid = claims.string("sid").flatMap { $0.isEmpty ? nil : $0 }
        let sub = claims.string("sub").flatMap { $0.isEmpty ? nil : $0 }
        guard sid != nil || sub != nil else { throw .missingClaim("sid") }
        let end = claims.expiresAt ?? (iat + Self.maximumAge)
        self.sid = sid
        self.sub = sub
        self.jti = jti
        replayWindow = max(1, Int((end - now + skew).rounded(.up)))
    }
}

/// A provider that can check logout tokens: OIDC providers.
public protocol BackChannelLogoutProvider: AnyObject {
    var name: String { get }
    /// Verifies the signature with the provider's keys, then `LogoutToken`'s rules.
    func verifyLogoutToken(_ token: String, completion: @escaping (Result<LogoutToken, AuthError>) -> Void)
}

extension OIDCProvider: BackChannelLogoutProvider {
    public func verifyLogoutToken(_ token: String, completion: @escaping (Result<LogoutToken, AuthError>) -> Void) {
        guard let metadata = discovery.metadata else { return completion(.failure(.notReady)) }
        keys.verify(token, allowed: JWTVerifier.tokenAlgorithms) { [self] result in
            switch result {
            case .failure(.keysUnavailable): completion(.failure(.keysUnavailable))
            case .failure(.invalid(let error)): completion(.failure(.invalidIDToken(error)))
            case .success(let claims):
                do throws(JWTError) {
                    let logout = try LogoutToken(
                        claims: claims, issuerRule: issuerPolicy.tokenRule(discoveredIssuer: metadata.issuer),
                        clientID: clientID, now: timing.wallClock(), skew: OIDCTiming.seconds(timing.clockSkew))
                    completion(.success(logout))
                } catch {
                    completion(.failure(.invalidIDToken(error)))
                }
            }
        }
    }
}
