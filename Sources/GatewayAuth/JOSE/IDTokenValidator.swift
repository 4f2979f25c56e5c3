// OpenID Connect ID-token validation (Core §3.1.3.7): signature, then iss, aud/azp, time, nonce.
import GatewayCrypto

/// Validates ID tokens for one client of one issuer.
public struct IDTokenValidator: Sendable {
    /// Tolerated clock difference between us and the issuer, for `exp`, `iat` and `nbf`.
    public static let defaultClockSkew: Double = 60

    /// Which `iss` values are accepted: usually exactly one issuer.
    public var issuerRule: IssuerRule
    public var clientID: String
    public var clockSkew: Double

    /// A validator for tokens whose `iss` must be exactly `issuer`.
    public init(issuer: String, clientID: String, clockSkew: Double = IDTokenValidator.defaultClockSkew) {
        self.init(issuerRule: .exact(issuer), clientID: clientID, clockSkew: clockSkew)
    }

    public init(issuerRule: IssuerRule, clientID: String, clockSkew: Double = IDTokenValidator.defaultClockSkew) {
        self.issuerRule = issuerRule
        self.clientID = clientID
        self.clockSkew = clockSkew
    }

    /// Verifies the signature with `keys`, then the claims. `now` is seconds since the epoch.
    public func validate(_ token: String, keys: JWKSet, expectedNonce: String, now: Double) throws(JWTError)
        -> JWTClaims
    {
        try validate(CompactJWS(token), keys: keys, expectedNonce: expectedNonce, now: now)
    }

    public func validate(_ jws: CompactJWS, keys: JWKSet, expectedNonce: String, now: Double) throws(JWTError)
        -> JWTClaims
    {
        let claims = try JWTVerifier.verify(jws, keys: keys)
        try validateClaims(claims, expectedNonce: expectedNonce, now: now)
        return claims
    }

    /// The checks after the signature, in a fixed order so each failure has one answer.
    public func validateClaims(_ claims: JWTClaims, expectedNonce: String, now: Double) throws(JWTError) {
        try issuerRule.check(claims)

        guard let audiences = claims.audiences else { throw .missingClaim("aud") }
        guard audiences.contains(clientID) else { throw .audienceMismatch }
        // With several audiences the token was issued to one of them: it must be us. An azp
        // that is present must be us too (Core §3.1.3.7 steps 4 and 5).
        if audiences.count > 1 || claims["azp"] != nil {
            guard claims.authorizedParty == clientID else { throw .authorizedPartyMismatch }
        }

        guard let exp = claims.expiresAt else { throw .missingClaim("exp") }
        guard now < exp + clockSkew else { throw .expired }
        guard let iat = claims.issuedAt else { throw .missingClaim("iat") }
        guard iat <= now + clockSkew else { throw .issuedInFuture }
        if claims["nbf"] != nil {
            guard let nbf = claims.notBefore else { throw .missingClaim("nbf") }
            guard nbf <= now + clockSkew else { throw .notYetValid }
        }

        guard let nonce = claims.nonce, !expectedNonce.isEmpty,
            MessageAuthentication.constantTimeEquals(Array(nonce.utf8), Array(expectedNonce.utf8))
        else { throw .nonceMismatch }

        guard let sub = claims.subject, !sub.isEmpty else { throw .missingClaim("sub") }
    }
}
