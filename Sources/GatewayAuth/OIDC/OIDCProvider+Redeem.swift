// The callback half of the flow: code for tokens, ID-token validation, and userinfo.
import GatewayOutbound
import Logging

extension OIDCProvider {
    /// Exchanges the code (with the PKCE verifier; client_secret_basic or _post), validates the
    /// ID token (signature, iss, aud/azp, exp/iat, nonce), and calls userinfo when email or
    /// name is missing. Completes on `queue`, exactly once.
    public func redeem(
        code: String, request: AuthorizationRequest, redirectURI: String,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        guard let metadata = discovery.metadata else {
            completion(.failure(.notReady))
            return
        }
        var fields = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirectURI),
            ("code_verifier", request.codeVerifier),
        ]
        var headers = [("Accept", "application/json")]
        clientAuthentication.apply(clientID: clientID, clientSecret: clientSecret, fields: &fields, headers: &headers)
        let exchange = OutboundRequest.form(url: metadata.tokenEndpoint, fields: fields, headers: headers)
        http.send(exchange) { result in
            switch self.tokens(result) {
            case .failure(let error): completion(.failure(error))
            case .success(let tokens):
                self.validate(tokens: tokens, nonce: request.nonce, metadata: metadata) { result in
                    // The session keeps the tokens for `pass_access_token`.
                    completion(result.map { $0.keeping(tokens.kept) })
                }
            }
        }
    }

    private struct Tokens {
        var idToken: String
        var accessToken: String?
        /// What the session keeps: the access token, the refresh token and the expiry.
        var kept: ProviderTokens?
    }

    private func tokens(_ result: Result<OutboundResponse, OutboundHTTPError>) -> Result<Tokens, AuthError> {
        TokenResponse.read(result, provider: name, logger: logger).flatMap { response in
            guard let idToken = response.idToken else { return .failure(.malformedResponse("token response has no id_token")) }
            let kept = response.accessToken.map {
                ProviderTokens(
                    accessToken: $0, refreshToken: response.refreshToken,
                    expiresAt: response.expiresAt(now: Int64(self.timing.wallClock())))
            }
            return .success(Tokens(idToken: idToken, accessToken: response.accessToken, kept: kept))
        }
    }

    private func validate(
        tokens: Tokens, nonce: String, metadata: OIDCProviderMetadata,
        completion done: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        // Every success carries the ID token it was validated from (the logout hint).
        let completion: (Result<VerifiedIdentity, AuthError>) -> Void = { result in
            done(
                result.map { identity in
                    var identity = identity
                    identity.idToken = tokens.idToken
                    return identity
                })
        }
        let jws: CompactJWS
        do throws(JWTError) {
            jws = try CompactJWS(tokens.idToken)
        } catch {
            completion(.failure(.invalidIDToken(error)))
            return
        }
        // Refuse a bad alg before it can cost a JWKS fetch.
        guard JWTVerifier.allowedAlgorithms.contains(jws.algorithm) else {
            completion(.failure(.invalidIDToken(.algorithmNotAllowed(jws.algorithm))))
            return
        }
        keys.keys(forKeyID: jws.keyID) { result in
            let keySet: JWKSet
            switch result {
            case .failure(let error):
                completion(.failure(error))
                return
            case .success(let set): keySet = set
            }
            let validator = IDTokenValidator(
                issuerRule: self.issuerPolicy.tokenRule(discoveredIssuer: metadata.issuer), clientID: self.clientID,
                clockSkew: OIDCTiming.seconds(self.timing.clockSkew))
            let claims: JWTClaims
            do throws(JWTError) {
                claims = try validator.validate(jws, keys: keySet, expectedNonce: nonce, now: self.timing.wallClock())
            } catch {
                completion(.failure(.invalidIDToken(error)))
                return
            }
            let needsProfile =
                claims.string(self.claimEmail) == nil || claims.string(self.claimName) == nil
                || self.ruleClaims.misses(.object(claims.values))
            guard needsProfile, let userinfoURL = metadata.userinfoEndpoint, let accessToken = tokens.accessToken else {
                completion(self.identity(claims: claims, userinfo: nil))
                return
            }
            self.fetchUserinfo(url: userinfoURL, accessToken: accessToken, claims: claims, completion: completion)
        }
    }

    private func fetchUserinfo(
        url: String, accessToken: String, claims: JWTClaims,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        let request = OutboundRequest(
            url: url, headers: [("Authorization", "Bearer " + accessToken), ("Accept", "application/json")])
        http.send(request) { result in
            switch result {
            case .failure(let error):
                self.logger?.warning(
                    "userinfo unreachable", metadata: ["provider": "\(self.name)", "reason": "\(error)"])
                completion(.failure(.userinfoFailed("endpoint could not be reached")))
            case .success(let response) where response.status != 200:
                completion(.failure(.userinfoFailed("HTTP \(response.status)")))
            case .success(let response):
                guard let info = JSONValue.parse(response.body), case .object = info else {
                    // Signed (application/jwt) userinfo is not supported.
                    completion(.failure(.userinfoFailed("response is not a JSON object")))
                    return
                }
                // Core §5.3.2: a userinfo answer about someone else must not be used.
                guard info["sub"]?.stringValue == claims.subject else {
                    completion(.failure(.userinfoFailed("sub does not match the ID token")))
                    return
                }
                completion(self.identity(claims: claims, userinfo: info))
            }
        }
    }

    /// The identity from the ID token's claims, with gaps filled from userinfo. An email
    /// and its verification flag always come from the same source.
    func identity(claims: JWTClaims, userinfo: JSONValue?) -> Result<VerifiedIdentity, AuthError> {
        let subject: String?
        switch claims[claimID] {
        case .string(let s)?: subject = s
        case .number(let n)? where n == n.rounded() && abs(n) < 9_007_199_254_740_992: subject = String(Int64(n))
        default: subject = nil
        }
        guard let subject, !subject.isEmpty else { return .failure(.invalidIDToken(.missingClaim(claimID))) }

        func verified(_ source: JWTClaims, fromIDToken: Bool) -> Bool {
            preset?.emailVerified(in: source, fromIDToken: fromIDToken) ?? source.emailVerified
        }
        var email = claims.string(claimEmail)
        var emailVerified = email != nil && verified(claims, fromIDToken: true)
        if email == nil, let info = userinfo, let fromInfo = info[claimEmail]?.stringValue {
            email = fromInfo
            emailVerified = verified(JWTClaims(info.objectValue ?? [:]), fromIDToken: false)
        }
        func fromUserinfo(_ key: String) -> String? { userinfo?[key]?.stringValue }
        let loginClaims = preset?.loginClaims ?? ["preferred_username"]
        let login =
            loginClaims.lazy.compactMap { claims.string($0) }.first
            ?? loginClaims.lazy.compactMap { fromUserinfo($0) }.first
        var identity = VerifiedIdentity(
            provider: name, subject: subject, email: email, emailVerified: emailVerified,
            login: login,
            name: claims.string(claimName) ?? fromUserinfo(claimName),
            hostedDomain: claims.hostedDomain ?? fromUserinfo("hd"))
        ruleClaims.read(.object(claims.values), fallback: userinfo, into: &identity)
        identity.sid = claims.string("sid")
        return .success(identity)
    }
}
