// A provider that answers at once from memory: one attempt key, one good code, one identity.
import GatewayAuth

final class FakeSignInProvider: SignInProvider {
    let name = "github"
    let displayName = "GitHub"
    var isReady = true
    var identity = VerifiedIdentity(
        provider: "github", subject: "42", email: "ada@example.com", emailVerified: true, login: "ada", name: "Ada")
    private(set) var redirectURIs: [String] = []
    /// Set: a good callback fails with this (the token endpoint down, a refused grant).
    var finishFailure: AuthError?
    /// Set: the provider has an end_session_endpoint, and each logout URL asked for is recorded.
    var endSessionEndpoint: String?
    private(set) var endSessionRequests: [(idTokenHint: String?, postLogoutRedirectURI: String, state: String)] = []
    static let key = "state-1"
    static let remembered = SignInStart.Remembered(nonce: "nonce-1", verifier: "verifier-1")
    static let authorizationURL = "https://idp.example.test/authorize?state=state-1"

    func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void) {
        redirectURIs.append(redirectURI)
        completion(.success(SignInStart(key: Self.key, remembered: Self.remembered, authorizationURL: Self.authorizationURL)))
    }

    /// Only `code=good` with what `begin` remembered signs in.
    func finish(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        guard query["code"] == "good", remembered == Self.remembered else { return completion(.failure(.stateMismatch)) }
        if let finishFailure { return completion(.failure(finishFailure)) }
        completion(.success(identity))
    }

    func endSessionURL(idTokenHint: String?, postLogoutRedirectURI: String, state: String) -> String? {
        guard let endSessionEndpoint else { return nil }
        endSessionRequests.append((idTokenHint, postLogoutRedirectURI, state))
        return endSessionEndpoint + "?state=" + state
    }
}
