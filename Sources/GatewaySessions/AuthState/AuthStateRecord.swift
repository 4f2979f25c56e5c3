// What the gateway remembers between the redirect to a provider and its callback.

/// Kept server-side under the random `state`, used once, and gone after ten minutes.
public struct AuthStateRecord: Sendable, Equatable, Codable {
    public var provider: String
    public var nonce: String
    /// The PKCE code verifier (OAuth 2 / OIDC), or the request-token secret (OAuth 1.0a).
    public var verifier: String
    /// Where to go after sign-in; already checked to be a relative path.
    public var next: String
    /// Set for `?link=1`: the signed-in user the new identity joins.
    public var linkUserID: String?
    public var createdAt: Int64

    public init(provider: String, nonce: String, verifier: String, next: String, linkUserID: String?, createdAt: Int64) {
        self.provider = provider
        self.nonce = nonce
        self.verifier = verifier
        self.next = next
        self.linkUserID = linkUserID
        self.createdAt = createdAt
    }

    /// How long a sign-in may take between redirect and callback.
    public static let lifetimeSeconds = 600
}
