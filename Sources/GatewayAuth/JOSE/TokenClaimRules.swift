// The claim checks that bearer and logout tokens share: exact issuer, an audience, and time.

/// Pure checks over verified claims, in a fixed order so each failure has one answer.
public enum TokenClaimRules {
    /// `aud` (a string or an array of strings) contains `audience` exactly.
    public static func checkAudience(_ claims: JWTClaims, _ audience: String) throws(JWTError) {
        guard let audiences = claims.audiences else { throw .missingClaim("aud") }
        guard audiences.contains(audience) else { throw .audienceMismatch }
    }

    /// `exp` (required when `requireExpiry`) not passed, `nbf` and `iat` not in the future,
    /// each with `skew` seconds of tolerance. A present claim of the wrong type is refused.
    public static func checkTimes(
        _ claims: JWTClaims, now: Double, skew: Double, requireExpiry: Bool, requireIssuedAt: Bool
    ) throws(JWTError) {
        if claims["exp"] != nil || requireExpiry {
            guard let exp = claims.expiresAt else { throw .missingClaim("exp") }
            guard now < exp + skew else { throw .expired }
        }
        if claims["nbf"] != nil {
            guard let nbf = claims.notBefore else { throw .missingClaim("nbf") }
            guard nbf <= now + skew else { throw .notYetValid }
        }
        if claims["iat"] != nil || requireIssuedAt {
            guard let iat = claims.issuedAt else { throw .missingClaim("iat") }
            guard iat <= now + skew else { throw .issuedInFuture }
        }
    }

    /// A non-empty string `sub`.
    public static func subject(_ claims: JWTClaims) throws(JWTError) -> String {
        guard let sub = claims.subject, !sub.isEmpty else { throw .missingClaim("sub") }
        return sub
    }
}
