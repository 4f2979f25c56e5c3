// What one sign-in attempt must remember between the redirect to the provider and the callback.
import GatewayCrypto

/// The secrets of one authorization-code flow. Kept server-side (or sealed) between the
/// redirect and the callback; only `state`, the nonce and the PKCE challenge leave the gateway.
public struct AuthorizationRequest: Sendable, Hashable {
    /// Binds the callback to this browser (CSRF): 32 random bytes, base64url.
    public var state: String
    /// Binds the ID token to this attempt (replay): 32 random bytes, base64url.
    public var nonce: String
    /// The PKCE verifier (RFC 7636); its S256 challenge goes into the authorization URL.
    public var codeVerifier: String

    public init(state: String, nonce: String, codeVerifier: String) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
    }

    /// Fresh random values for a new sign-in.
    public static func generate() -> AuthorizationRequest {
        AuthorizationRequest(
            state: SecureRandom.token(bytes: 32), nonce: SecureRandom.token(bytes: 32),
            codeVerifier: PKCE().verifier)
    }

    /// Whether the `state` returned to the callback is ours, compared in constant time.
    public func matchesState(_ returned: String) -> Bool {
        MessageAuthentication.constantTimeEquals(Array(state.utf8), Array(returned.utf8))
    }
}
