// What the sign-in endpoints need from a provider, whatever its protocol.

/// A provider as the endpoints see it, in two steps: `begin` (where to send the browser, and
/// what to remember under a key until the callback) and `finish` (the callback's query in, a verified
/// identity out). OIDC and OAuth 2 remember a nonce and a PKCE verifier under `state`; OAuth
/// 1.0a remembers the request-token secret under the request token.
///
/// Every call, and every completion, happens on the provider's loop queue.
public protocol SignInProvider: AnyObject {
    /// The config block's name: `/auth/NAME`.
    var name: String { get }
    /// The button text.
    var displayName: String { get }
    /// False while the provider cannot start a sign-in yet (OIDC discovery pending).
    var isReady: Bool { get }
    /// A fresh attempt. `redirectURI` is this provider's callback URL.
    func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void)
    /// The key under which `begin` asked to remember the attempt, as the callback carries it
    /// (`state` for OAuth 2, `oauth_token` or `denied` for OAuth 1.0a).
    func callbackKey(in query: [String: String]) -> String?
    /// True when the callback says the user refused (`error=access_denied`, `denied=`).
    func isDenial(_ query: [String: String]) -> Bool
    /// Finishes an attempt from the callback's query and what `begin` remembered.
    func finish(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void)
    /// RP-Initiated Logout: where to send the browser so the provider ends its own session,
    /// or nil when it publishes no `end_session_endpoint` (every non-OIDC provider).
    func endSessionURL(idTokenHint: String?, postLogoutRedirectURI: String, state: String) -> String?
}

extension SignInProvider {
    public func endSessionURL(idTokenHint: String?, postLogoutRedirectURI: String, state: String) -> String? { nil }
    public func callbackKey(in query: [String: String]) -> String? { query["state"] }
    public func isDenial(_ query: [String: String]) -> Bool { query["error"] == "access_denied" }
}

/// What `begin` produces.
public struct SignInStart: Sendable {
    /// Where the callback's `callbackKey` will point; the attempt is remembered under it.
    public var key: String
    public var remembered: Remembered
    /// Where to send the browser.
    public var authorizationURL: String

    /// Kept between redirect and callback, sealed (encrypted and authenticated) in a cookie:
    /// the browser carries it but can neither read nor change it.
    public struct Remembered: Sendable, Equatable {
        /// OIDC's nonce (empty for protocols without one).
        public var nonce: String
        /// The PKCE code verifier, or OAuth 1.0a's request-token secret.
        public var verifier: String
        public init(nonce: String, verifier: String) {
            self.nonce = nonce
            self.verifier = verifier
        }
    }

    public init(key: String, remembered: Remembered, authorizationURL: String) {
        self.key = key
        self.remembered = remembered
        self.authorizationURL = authorizationURL
    }
}
