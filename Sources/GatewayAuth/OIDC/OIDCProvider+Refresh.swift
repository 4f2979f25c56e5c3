// OIDC refresh (Core §12): the refresh-token grant at the discovered token endpoint. A new ID
// token in the answer is not used: the session's identity stays the one of its sign-in.

extension OIDCProvider: TokenRefreshing {
    public func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        guard let refreshToken = tokens.refreshToken else {
            completion(.failure(.providerError("invalid_grant")))
            return
        }
        guard let metadata = discovery.metadata else {
            completion(.failure(.notReady))
            return
        }
        let request = TokenRefreshRequest.request(
            tokenURL: metadata.tokenEndpoint, refreshToken: refreshToken, clientID: clientID,
            clientSecret: clientSecret, authentication: clientAuthentication)
        http.send(request) { result in
            completion(
                TokenRefreshRequest.read(
                    result, previous: tokens, now: Int64(self.timing.wallClock()), provider: self.name,
                    logger: self.logger))
        }
    }
}
