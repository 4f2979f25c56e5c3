// Twitter's OAuth 2.0 sign-in (`provider twitter { type oauth2; ... }`): authorization code with
// PKCE, then `GET /2/users/me`.
import Dispatch
import GatewayConfig
import GatewayCrypto
import GatewayOutbound
import Logging

/// `provider twitter { type oauth2; client_id ...; client_secret ...; }`.
///
/// `begin` sends the browser to `authorize` with a random `state` and an S256 PKCE challenge; the
/// attempt is remembered under `state`, with the PKCE verifier. `finish` redeems the code as a
/// confidential client (HTTP Basic with `client_id:client_secret`, plus `client_id` in the form
/// as Twitter documents) and reads the user from `/2/users/me`.
///
/// Built from `TwitterOAuth2Settings`: the client, `scopes` (default `users.read tweet.read`,
/// which `/2/users/me` needs), and the endpoints (`authorize_url`, `token_url`, `api_url`).
///
/// Email: Twitter's v2 user object carries none, so identities from this variant have no email
/// and never link to another user by email (they can still be linked explicitly).
///
/// `@unchecked Sendable`: every method is called on `queue` and every completion runs there.
public final class TwitterOAuth2Provider: SignInProvider, @unchecked Sendable {
    /// Under `api_url`.
    public static let usersMePath = "/2/users/me"

    public let name: String
    public let displayName: String
    public let clientID: String
    public let scopes: String
    public let authorizeURL: String
    public let tokenURL: String
    /// `api_url` without a trailing slash.
    public let apiURL: String
    public let queue: DispatchQueue
    let clientSecret: String
    let http: OutboundHTTP
    let logger: Logger?

    /// Nothing to discover: a configured provider can always start.
    public var isReady: Bool { true }

    public init(
        name: String, displayName: String, settings: TwitterOAuth2Settings, http: OutboundHTTP,
        queue: DispatchQueue, logger: Logger?
    ) {
        self.name = name
        self.displayName = displayName
        clientID = settings.clientID
        clientSecret = settings.clientSecret
        scopes = settings.scopes.joined(separator: " ")
        authorizeURL = settings.authorizeURL
        tokenURL = settings.tokenURL
        apiURL = TwitterOptions.apiBase(settings.apiURL)
        self.http = http
        self.queue = queue
        self.logger = logger
    }

    // MARK: - SignInProvider

    public func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void) {
        let state = SecureRandom.token(bytes: 32)
        let pkce = PKCE()
        let url = TwitterOptions.appendingQuery(
            authorizeURL,
            [
                ("response_type", "code"),
                ("client_id", clientID),
                ("redirect_uri", redirectURI),
                ("scope", scopes),
                ("state", state),
                ("code_challenge", pkce.challenge),
                ("code_challenge_method", PKCE.method),
            ])
        completion(
            .success(
                SignInStart(key: state, remembered: .init(nonce: "", verifier: pkce.verifier), authorizationURL: url)))
    }

    public func finish(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        guard let code = query["code"], !code.isEmpty else {
            return completion(.failure(.malformedResponse("the callback has no code")))
        }
        var fields = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirectURI),
            ("code_verifier", remembered.verifier),
            ("client_id", clientID),
        ]
        var headers = [("Accept", "application/json")]
        OIDCClientAuthentication.clientSecretBasic.apply(
            clientID: clientID, clientSecret: clientSecret, fields: &fields, headers: &headers)
        http.send(OutboundRequest.form(url: tokenURL, fields: fields, headers: headers)) { result in
            switch self.accessToken(result) {
            case .failure(let error): completion(.failure(error))
            case .success(let tokens):
                self.fetchUser(accessToken: tokens.accessToken) { result in
                    completion(result.map { $0.keeping(tokens) })
                }
            }
        }
    }

    // MARK: - Steps

    private func accessToken(
        _ result: Result<OutboundResponse, OutboundHTTPError>
    ) -> Result<ProviderTokens, AuthError> {
        TokenResponse.read(result, provider: name, logger: logger).flatMap { response in
            response.bearerToken().map {
                ProviderTokens(
                    accessToken: $0, refreshToken: response.refreshToken,
                    expiresAt: response.expiresAt(now: Int64(OIDCTiming.systemWallClock())))
            }
        }
    }

    private func fetchUser(accessToken: String, completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void) {
        let request = OutboundRequest(
            url: apiURL + Self.usersMePath,
            headers: [("Authorization", "Bearer " + accessToken), ("Accept", "application/json")])
        http.send(request) { result in
            switch result {
            case .failure(let error):
                self.logger?.warning(
                    "users/me unreachable", metadata: ["provider": "\(self.name)", "reason": "\(error)"])
                completion(.failure(.userinfoFailed("endpoint could not be reached")))
            case .success(let response) where response.status != 200:
                completion(.failure(.userinfoFailed("HTTP \(response.status)")))
            case .success(let response):
                completion(self.identity(fromUsersMe: response.body))
            }
        }
    }

    /// The identity in a `/2/users/me` answer: `{"data": {"id", "name", "username"}}`.
    func identity(fromUsersMe body: [UInt8]) -> Result<VerifiedIdentity, AuthError> {
        guard let data = JSONValue.parse(body)?["data"], case .object = data else {
            return .failure(.userinfoFailed("response has no data object"))
        }
        guard let id = data["id"]?.stringValue, !id.isEmpty else {
            return .failure(.userinfoFailed("response has no id"))
        }
        return .success(
            VerifiedIdentity(
                provider: name, subject: id, email: nil, emailVerified: false, login: data["username"]?.stringValue,
                name: data["name"]?.stringValue))
    }
}
