// The sign-in steps every OAuth 2.0 provider shares; each provider only reads its profile.

/// An OAuth 2.0 provider: `begin` and `finish` come from its `OAuth2Client` (state, PKCE, the
/// code exchange); the provider supplies how a token becomes a verified identity.
protocol OAuth2SignInProvider: SignInProvider, TokenRefreshing {
    var client: OAuth2Client { get }
    /// Reads the profile (and emails, organisations...) the token gives access to.
    func fetchIdentity(token: OAuth2AccessToken, completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void)
}

extension OAuth2SignInProvider {
    public func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void) {
        completion(.success(client.begin(redirectURI: redirectURI)))
    }

    public func finish(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        client.redeem(query: query, remembered: remembered, redirectURI: redirectURI) { result in
            switch result {
            case .failure(let error): completion(.failure(error))
            case .success(let token):
                self.fetchIdentity(token: token) { result in
                    // The session keeps the tokens for `pass_access_token`.
                    completion(result.map { $0.keeping(token.providerTokens) })
                }
            }
        }
    }

    public func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        client.refresh(tokens, completion: completion)
    }
}
