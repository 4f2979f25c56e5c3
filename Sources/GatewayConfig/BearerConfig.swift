// `accept bearer issuer=URL audience=AUD;`: API clients with a JWT from a trusted issuer.

/// Which bearer tokens a location accepts. A request that carries `Authorization: Bearer` is
/// judged by its token alone; one without is judged by its session, as in any location.
public struct BearerConfig: Sendable, Hashable {
    /// The token's `iss` must equal it exactly; its JWKS is found by OIDC discovery here.
    public var issuer: String
    /// The token's `aud` (a string, or an array) must contain it exactly.
    public var audience: String
    public init(issuer: String, audience: String) {
        self.issuer = issuer
        self.audience = audience
    }
}
