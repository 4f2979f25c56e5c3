// A provider that can renew an access token with its refresh token (RFC 6749 §6).

/// Calls and completions happen on the provider's loop queue, like `SignInProvider`'s.
public protocol TokenRefreshing: AnyObject {
    /// New tokens for `tokens.refreshToken`. A refusal (`invalid_grant`: revoked, expired or
    /// already used) is `AuthError.refusesGrant`; anything else (unreachable, 5xx) may pass.
    func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void)
}
