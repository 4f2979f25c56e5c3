// What the sign-in endpoints need from a provider, whatever its protocol.
import GatewayAuth
import GatewaySessions

/// A provider as the endpoints see it. OIDC and OAuth 2 presets redirect with state, PKCE and a
/// nonce; OAuth 1.0a (a later issue) fits the same two steps.
protocol SignInProvider: AnyObject {
    var name: String { get }
    var displayName: String { get }
    var isReady: Bool { get }
    /// A fresh attempt: what to remember server-side, and where to send the browser.
    func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void)
    /// Finishes an attempt from the callback's query parameters.
    func finish(
        query: [String: String], remembered: AuthStateRecord, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void)
}

struct SignInStart {
    var state: String
    var nonce: String
    var verifier: String
    var authorizationURL: String
}

/// The generic OIDC provider (and, later, the OIDC presets).
final class OIDCSignInProvider: SignInProvider {
    let provider: OIDCProvider
    let name: String
    let displayName: String

    init(provider: OIDCProvider, name: String, displayName: String) {
        self.provider = provider
        self.name = name
        self.displayName = displayName
    }

    var isReady: Bool { provider.isReady }

    func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void) {
        let request = provider.beginAuthorization()
        guard let url = provider.authorizationURL(for: request, redirectURI: redirectURI) else {
            completion(.failure(.notReady))
            return
        }
        completion(
            .success(
                SignInStart(state: request.state, nonce: request.nonce, verifier: request.codeVerifier, authorizationURL: url)))
    }

    func finish(
        query: [String: String], remembered: AuthStateRecord, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        guard let code = query["code"], !code.isEmpty, let state = query["state"] else {
            completion(.failure(.providerError("the callback has no code")))
            return
        }
        let request = AuthorizationRequest(state: state, nonce: remembered.nonce, codeVerifier: remembered.verifier)
        provider.redeem(code: code, request: request, redirectURI: redirectURI, completion: completion)
    }
}
