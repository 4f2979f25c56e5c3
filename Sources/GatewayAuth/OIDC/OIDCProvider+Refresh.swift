// OIDC refresh (Core §12): the refresh-token grant at the discovered token endpoint. A new ID
// token in the answer is not used: the session's identity stays the one of its sign-in.

extension OIDCProvider: TokenRefreshing {
    public func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        guard let metadata = discovery.metadata else {
            completion(.failure(.notReady))
            return
        }
        let clock = timing.wallClock
        TokenRefreshRequest(
            tokenURL: metadata.tokenEndpoint, clientID: clientID, clientSecret: clientSecret,
            authentication: clientAuthentication, provider: name
        ).send(tokens, http: http, now: { Int64(clock()) }, logger: logger, completion: completion)
    }
}
