// The OAuth 2.0 authorization-code grant with PKCE, shared by the GitHub, Facebook and generic providers.
import GatewayCrypto
import GatewayOutbound
import Logging

/// One client registration at one authorization server (RFC 6749 §4.1): the authorization URL
/// with a random `state` and a PKCE S256 challenge (RFC 7636), and the redemption of the
/// callback's code for an access token. `OAuth2Client+API.swift` calls APIs with that token.
///
/// A value without mutable state. Completions run where `http` calls back: the provider's loop
/// queue. Nothing here logs or returns a code, token, verifier or secret.
public struct OAuth2Client: Sendable {
    /// The provider block's name, for log lines.
    public var providerName: String
    public var authorizeURL: String
    public var tokenURL: String
    public var clientID: String
    /// Requested scopes, in order, without duplicates.
    public var scopes: [String]
    public var clientAuthentication: OIDCClientAuthentication
    /// Sent with API calls: some APIs (GitHub's) refuse requests without one.
    public static let userAgent = CurlHTTPClient.userAgent

    let clientSecret: String?
    let http: OutboundHTTP
    let logger: Logger?
    /// Unix seconds, for token expiry (`expires_in`).
    public var now: @Sendable () -> Int64 = { Int64(OIDCTiming.systemWallClock()) }

    public init(
        providerName: String, authorizeURL: String, tokenURL: String, clientID: String, clientSecret: String?,
        scopes: [String], clientAuthentication: OIDCClientAuthentication, http: OutboundHTTP, logger: Logger?
    ) {
        self.providerName = providerName
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.clientAuthentication = clientAuthentication
        self.http = http
        self.logger = logger
    }

    /// A fresh attempt: remembered under its `state`, with the PKCE verifier kept from the browser.
    /// OAuth 2 has no nonce, so `remembered.nonce` is empty.
    public func begin(redirectURI: String) -> SignInStart {
        let state = SecureRandom.token(bytes: 32)
        let pkce = PKCE()
        var pairs = [("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if !scopes.isEmpty { pairs.append(("scope", scopes.joined(separator: " "))) }
        pairs += [("state", state), ("code_challenge", pkce.challenge), ("code_challenge_method", PKCE.method)]
        let url = authorizeURL + (authorizeURL.contains("?") ? "&" : "?") + OIDCURLEncoding.query(pairs)
        return SignInStart(key: state, remembered: .init(nonce: "", verifier: pkce.verifier), authorizationURL: url)
    }

    /// Reads the callback's query (`error=` or `code=`) and redeems the code at the token
    /// endpoint with the PKCE verifier. Completes exactly once, on the loop queue.
    public func redeem(
        query: [String: String], remembered: SignInStart.Remembered, redirectURI: String,
        completion: @escaping (Result<OAuth2AccessToken, AuthError>) -> Void
    ) {
        if let error = query["error"] {
            completion(.failure(.providerDenied(error)))
            return
        }
        guard let code = query["code"], !code.isEmpty else {
            completion(.failure(.malformedResponse("the callback has no code")))
            return
        }
        var fields = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirectURI),
            ("code_verifier", remembered.verifier),
        ]
        // GitHub answers in form encoding unless asked for JSON.
        var headers = [("Accept", "application/json")]
        clientAuthentication.apply(clientID: clientID, clientSecret: clientSecret, fields: &fields, headers: &headers)
        http.send(.form(url: tokenURL, fields: fields, headers: headers)) { result in
            completion(self.accessToken(from: result))
        }
    }

    /// RFC 6749 §5.1 and §5.2, plus two providers' habits: GitHub reports errors with HTTP 200,
    /// and Facebook's `error` is an object (`{"type": "OAuthException", ...}`), not a code.
    func accessToken(from result: Result<OutboundResponse, OutboundHTTPError>) -> Result<OAuth2AccessToken, AuthError> {
        TokenResponse.read(result, provider: providerName, logger: logger).flatMap { tokens in
            // §5.1: `scope` is space-delimited; GitHub separates with commas.
            tokens.bearerToken().map {
                var token = OAuth2AccessToken(value: $0, grantedScopes: tokens.scope.map(Self.scopeList))
                token.refreshToken = tokens.refreshToken
                token.expiresAt = tokens.expiresAt(now: now())
                return token
            }
        }
    }

    /// Renews `tokens` with their refresh token at the token endpoint (RFC 6749 §6).
    public func refresh(_ tokens: ProviderTokens, completion: @escaping (Result<ProviderTokens, AuthError>) -> Void) {
        TokenRefreshRequest(
            tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, authentication: clientAuthentication,
            provider: providerName
        ).send(tokens, http: http, now: now, logger: logger, completion: completion)
    }

    /// Scopes as configured (`read:user user:email`, or with commas), in order, without duplicates.
    public static func scopeList(_ text: String) -> [String] {
        var scopes: [String] = []
        for scope in text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        where !scopes.contains(scope) {
            scopes.append(scope)
        }
        return scopes
    }
}

/// An access token and the scopes the server says it granted. Its description never shows the token.
public struct OAuth2AccessToken: Sendable, CustomStringConvertible {
    public var value: String
    /// From the token response's `scope`; nil when the server left it out (the request was granted as asked).
    public var grantedScopes: [String]?
    /// `refresh_token`, when the server issued one.
    public var refreshToken: String?
    /// When the access token expires (unix seconds), from `expires_in`.
    public var expiresAt: Int64?

    /// What a session keeps of it for the app.
    public var providerTokens: ProviderTokens {
        ProviderTokens(accessToken: value, refreshToken: refreshToken, expiresAt: expiresAt)
    }

    public init(value: String, grantedScopes: [String]? = nil) {
        self.value = value
        self.grantedScopes = grantedScopes
    }

    public var description: String {
        "OAuth2AccessToken(scopes: \(grantedScopes?.joined(separator: " ") ?? "as requested"))"
    }
}
