// Twitter's OAuth 2.0 refresh (with the `offline.access` scope): the usual grant, client_id in
// the body as Twitter's token endpoint wants it, and the client secret in Basic.

extension TwitterOAuth2Provider: TokenRefreshing {
    public func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        TokenRefreshRequest(
            tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, authentication: .clientSecretBasic,
            extraFields: [("client_id", clientID)], provider: name
        ).send(tokens, http: http, now: { Int64(OIDCTiming.systemWallClock()) }, logger: logger, completion: completion)
    }
}
