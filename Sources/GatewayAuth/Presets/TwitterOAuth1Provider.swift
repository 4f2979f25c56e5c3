// Twitter's classic "Sign in with Twitter" over OAuth 1.0a (RFC 5849): request token, authenticate,
// access token, then account/verify_credentials.
import Dispatch
import GatewayConfig
import GatewayOutbound
import Logging

/// `provider twitter { consumer_key ...; consumer_secret ...; }`: the three-legged OAuth 1.0a flow.
///
/// `begin` asks for a request token (a signed POST with `oauth_callback`) and sends the browser to
/// `authenticate?oauth_token=`. The request token's secret is remembered (sealed in a cookie) under
/// the token; the callback brings the token back with `oauth_verifier` (or `denied=TOKEN`). `finish`
/// trades them for an access token and reads the user from `verify_credentials`.
///
/// Built from `TwitterOAuth1Settings`: the consumer credentials, and the endpoints
/// (`request_token_url`, `authorize_url`, `access_token_url`, `api_url` override them for tests
/// and proxies).
///
/// Email: `verify_credentials?include_email=true` returns `email` only when the app has Twitter's
/// "Request email address" permission and the account has an address *Twitter has verified*;
/// its API reference says an unverified address comes back as no email. So a returned email
/// counts as verified, and a missing one leaves the identity without email (it never links).
///
/// `@unchecked Sendable`: every method is called on `queue` and every completion runs there.
public final class TwitterOAuth1Provider: SignInProvider, @unchecked Sendable {
    /// Under `api_url`: the signed-in user, with the email when Twitter has a verified one.
    public static let verifyCredentialsPath = "/1.1/account/verify_credentials.json?include_email=true&skip_status=true"

    public let name: String
    public let displayName: String
    public let requestTokenURL: String
    public let authorizeURL: String
    public let accessTokenURL: String
    /// `api_url` without a trailing slash.
    public let apiURL: String
    public let queue: DispatchQueue
    /// The consumer credentials; tests replace the nonce and clock.
    var signer: OAuth1Signer
    let http: OutboundHTTP
    let logger: Logger?

    /// Nothing to discover: a configured provider can always start.
    public var isReady: Bool { true }

    public init(
        name: String, displayName: String, settings: TwitterOAuth1Settings, http: OutboundHTTP,
        queue: DispatchQueue, logger: Logger?
    ) {
        self.name = name
        self.displayName = displayName
        requestTokenURL = settings.requestTokenURL
        authorizeURL = settings.authorizeURL
        accessTokenURL = settings.accessTokenURL
        apiURL = TwitterOptions.apiBase(settings.apiURL)
        signer = OAuth1Signer(consumerKey: settings.consumerKey, consumerSecret: settings.consumerSecret)
        self.http = http
        self.queue = queue
        self.logger = logger
    }

    // MARK: - SignInProvider

    public func begin(redirectURI: String, completion: @escaping (Result<SignInStart, AuthError>) -> Void) {
        let request = signer.request(
            method: "POST", url: requestTokenURL, token: nil, tokenSecret: "", extra: [("oauth_callback", redirectURI)])
        send(request, step: "request token") { result in
            let fields: [String: String]
            switch result {
            case .failure(let error): return completion(.failure(error))
            case .success(let f): fields = f
            }
            guard let token = fields["oauth_token"], !token.isEmpty, let secret = fields["oauth_token_secret"] else {
                return completion(.failure(.malformedResponse("request token response has no oauth_token")))
            }
            // §2.1: without it the server ignored our oauth_callback (an OAuth 1.0, not 1.0a, server).
            guard fields["oauth_callback_confirmed"] == "true" else {
                return completion(.failure(.malformedResponse("oauth_callback_confirmed is not true")))
            }
            let url = TwitterOptions.appendingQuery(self.authorizeURL, [("oauth_token", token)])
            completion(
                .success(SignInStart(key: token, remembered: .init(nonce: "", verifier: secret), authorizationURL: url))
            )
        }
    }

    /// The request token the callback returns, or on denial the one it names in `denied=`.
    public func callbackKey(in query: [String: String]) -> String? {
        query["oauth_token"] ?? query["denied"]
    }

    /// Twitter redirects a user who presses "Cancel" back with `denied=REQUEST_TOKEN`.
    public func isDenial(_ query: [String: String]) -> Bool {
        query["denied"] != nil
    }

    public func finish(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        guard let token = query["oauth_token"], !token.isEmpty, let verifier = query["oauth_verifier"],
            !verifier.isEmpty
        else {
            return completion(.failure(.malformedResponse("the callback has no oauth_token and oauth_verifier")))
        }
        // §2.3: signed with the request token and the secret that only we and the server know.
        let request = signer.request(
            method: "POST", url: accessTokenURL, token: token, tokenSecret: remembered.verifier,
            extra: [("oauth_verifier", verifier)])
        send(request, step: "access token") { result in
            switch result {
            case .failure(let error): completion(.failure(error))
            case .success(let fields):
                guard let access = fields["oauth_token"], !access.isEmpty, let secret = fields["oauth_token_secret"]
                else {
                    return completion(.failure(.malformedResponse("access token response has no oauth_token")))
                }
                self.verifyCredentials(token: access, secret: secret, userID: fields["user_id"], completion: completion)
            }
        }
    }

    // MARK: - Steps

    /// Sends a signed token request and reads its form-encoded answer.
    private func send(
        _ request: OutboundRequest?, step: String, completion: @escaping (Result<[String: String], AuthError>) -> Void
    ) {
        guard let request else { return completion(.failure(.tokenExchangeFailed(status: nil))) }
        http.send(request) { result in
            switch result {
            case .failure(let error):
                self.logger?.warning(
                    "\(step) endpoint unreachable", metadata: ["provider": "\(self.name)", "reason": "\(error)"])
                completion(.failure(.tokenExchangeFailed(status: nil)))
            case .success(let response):
                // Twitter answers token calls as form text (often labelled text/html), so the type is not checked.
                let fields = Dictionary(OAuth1Signature.formDecode(response.body)) { first, _ in first }
                guard response.status == 200 else {
                    self.logger?.warning(
                        "\(step) refused", metadata: ["provider": "\(self.name)", "status": "\(response.status)"])
                    if let code = fields["error"], !code.isEmpty { return completion(.failure(.providerError(code))) }
                    return completion(.failure(.tokenExchangeFailed(status: response.status)))
                }
                completion(.success(fields))
            }
        }
    }

    private func verifyCredentials(
        token: String, secret: String, userID: String?,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        let request = signer.request(
            method: "GET", url: apiURL + Self.verifyCredentialsPath, token: token, tokenSecret: secret,
            headers: [("Accept", "application/json")])
        guard let request else { return completion(.failure(.userinfoFailed("invalid api_url"))) }
        http.send(request) { result in
            switch result {
            case .failure(let error):
                self.logger?.warning(
                    "verify_credentials unreachable", metadata: ["provider": "\(self.name)", "reason": "\(error)"])
                completion(.failure(.userinfoFailed("endpoint could not be reached")))
            case .success(let response) where response.status != 200:
                completion(.failure(.userinfoFailed("HTTP \(response.status)")))
            case .success(let response):
                // The app signs its own calls with the token and its secret (`pass_access_token`).
                let tokens = ProviderTokens(accessToken: token, tokenSecret: secret)
                completion(
                    self.identity(fromVerifyCredentials: response.body, userID: userID).map { $0.keeping(tokens) })
            }
        }
    }

    /// The identity in a `verify_credentials` answer. `userID` is the access-token response's
    /// `user_id`, which must name the same account when present.
    func identity(fromVerifyCredentials body: [UInt8], userID: String?) -> Result<VerifiedIdentity, AuthError> {
        guard let user = JSONValue.parse(body), case .object = user else {
            return .failure(.userinfoFailed("response is not a JSON object"))
        }
        let subject: String?
        if let idString = user["id_str"]?.stringValue {
            subject = idString
        } else if let id = user["id"]?.numberValue, id == id.rounded(), id >= 0, id < 9_007_199_254_740_992 {
            subject = String(Int64(id))  // id_str exists because ids outgrew doubles; small ids still fit
        } else {
            subject = nil
        }
        guard let subject, !subject.isEmpty else { return .failure(.userinfoFailed("response has no id_str")) }
        if let userID, !userID.isEmpty, userID != subject {
            return .failure(.userinfoFailed("id_str does not match the access token's user_id"))
        }
        let email = user["email"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return .success(
            VerifiedIdentity(
                provider: name, subject: subject, email: email, emailVerified: email != nil,
                login: user["screen_name"]?.stringValue, name: user["name"]?.stringValue))
    }
}
