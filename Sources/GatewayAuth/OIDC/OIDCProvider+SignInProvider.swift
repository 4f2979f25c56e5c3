// The generic OIDC provider as a SignInProvider.

extension OIDCProvider: SignInProvider {
    public func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void) {
        let request = beginAuthorization()
        guard let url = authorizationURL(for: request, redirectURI: redirectURI) else {
            completion(.failure(.notReady))
            return
        }
        completion(
            .success(
                SignInStart(
                    key: request.state, remembered: .init(nonce: request.nonce, verifier: request.codeVerifier),
                    authorizationURL: url)))
    }

    public func finish(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        guard let code = query["code"], !code.isEmpty, let state = query["state"] else {
            completion(.failure(.providerError("the callback has no code")))
            return
        }
        let request = AuthorizationRequest(state: state, nonce: remembered.nonce, codeVerifier: remembered.verifier)
        redeem(code: code, request: request, redirectURI: redirectURI, completion: completion)
    }
}
