// Twitter's OAuth 2.0 refresh (with the `offline.access` scope): the usual grant, client_id in
// the body as Twitter's token endpoint wants it, and the client secret in Basic.

extension TwitterOAuth2Provider: TokenRefreshing {
    public func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        guard let refreshToken = tokens.refreshToken else {
            completion(.failure(.providerError("invalid_grant")))
            return
        }
        let request = TokenRefreshRequest.request(
            tokenURL: tokenURL, refreshToken: refreshToken, clientID: clientID, clientSecret: clientSecret,
            authentication: .clientSecretBasic, extraFields: [("client_id", clientID)])
        http.send(request) { result in
            completion(
                TokenRefreshRequest.read(
                    result, previous: tokens, now: Int64(OIDCTiming.systemWallClock()), provider: self.name,
                    logger: self.logger))
        }
    }
}
