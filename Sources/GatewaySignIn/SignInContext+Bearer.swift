// `accept bearer`: a request with `Authorization: Bearer` is judged by its token alone; the
// identity it carries goes upstream like a session's, and the location's rules apply to it.
import GatewayAuth
import GatewayConfig
import GatewayCrypto
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext {
    /// Decides a request that carries a bearer token (or a malformed Authorization: Bearer).
    func checkBearer(
        _ credential: BearerCredential, config: BearerConfig, head: HTTPRequestHead, location: LocationConfig,
        completion: @escaping (GateDecision) -> Void
    ) {
        guard case .token(let token) = credential else {
            return completion(.answer(bearerRefused("the Authorization header is not \"Bearer <token>\"")))
        }
        guard let verifier = bearerVerifiers[config] else {
            preconditionFailure("no bearer verifier for a configured accept bearer (\(config.issuer))")
        }
        verifier.verify(token) { [self] result in
            switch result {
            case .failure(.unavailable):
                log.warning("bearer token issuer unavailable", metadata: ["issuer": .string(config.issuer)])
                completion(.answer(LocalResponse.json(503, "{\"status\":503,\"error\":\"Service Unavailable\"}\n")))
            case .failure(.invalid(let error)):
                // The reason only: the token itself is never logged.
                log.info(
                    "bearer token refused",
                    metadata: ["issuer": .string(config.issuer), "reason": .string(error.description)])
                completion(.answer(bearerRefused(error.description)))
            case .success(let claims):
                admitBearer(claims, token: token, head: head, location: location, completion: completion)
            }
        }
    }

    /// Links the token's `iss` + `sub` to a user when the issuer is a configured provider's.
    private func admitBearer(
        _ claims: JWTClaims, token: String, head: HTTPRequestHead, location: LocationConfig,
        completion: @escaping (GateDecision) -> Void
    ) {
        let subject = claims.subject ?? ""
        let finish: (String?, UserRecord?) -> Void = { [self] provider, user in
            let record = Self.bearerRecord(claims, provider: provider, user: user, rules: location.access, now: now())
            guard AccessPolicy.admits(location.access, record) else {
                return completion(
                    .answer(
                        LocalResponse.json(
                            403,
                            "{\"status\":403,\"error\":\"Forbidden\",\"detail\":\"This token may not open this page.\"}\n"
                        )
                        .adding([
                            (
                                "WWW-Authenticate",
                                BearerCredential.challenge(realm: publicURL.description, error: "insufficient_scope")
                            )
                        ])))
            }
            var block = IdentityHeaders.block(for: record, location: location)
            block += assertionHeader(for: record, cacheKey: Self.bearerCacheKey(token), location: location)
            completion(.allow(identityHeaders: block, session: nil))
        }
        guard let provider = provider(issuing: claims.issuer ?? "") else { return finish(nil, nil) }
        identities.user(provider: provider, subject: subject) { [self] result in
            switch result {
            case .success(let user): finish(provider, user)
            case .failure(let error):
                log.error("identity store unavailable", metadata: ["error": .string(error.description)])
                completion(.answer(LocalResponse.json(503, "{\"status\":503,\"error\":\"Service Unavailable\"}\n")))
            }
        }
    }

    /// The configured OIDC provider whose issuer is `issuer`: its name prefixes the identity.
    func provider(issuing issuer: String) -> String? {
        for case let oidc as OIDCProvider in providers
        where oidc.issuer == issuer || oidc.discovery.metadata?.issuer == issuer {
            return oidc.name
        }
        return nil
    }

    /// 401 with the RFC 6750 challenge and a JSON body.
    func bearerRefused(_ reason: String) -> LocalResponse {
        let body = "{\"status\":401,\"error\":\"invalid_token\",\"detail\":\(JSONWriter.quoted(reason))}\n"
        return LocalResponse.json(401, body).adding([
            (
                "WWW-Authenticate",
                BearerCredential.challenge(realm: publicURL.description, error: "invalid_token", description: reason)
            )
        ])
    }

    /// An API client without any credential at a bearer location learns the scheme (§3.1).
    func withBearerChallenge(_ response: LocalResponse, location: LocationConfig) -> LocalResponse {
        withBearerChallenge(response, acceptsBearer: location.bearer != nil)
    }

    /// The same from whether the location has `accept bearer`: what a completion closure then
    /// captures is a Bool, not a copy of the whole location.
    func withBearerChallenge(_ response: LocalResponse, acceptsBearer: Bool) -> LocalResponse {
        guard acceptsBearer, response.status == 401 else { return response }
        return response.adding([("WWW-Authenticate", BearerCredential.challenge(realm: publicURL.description))])
    }

    /// The identity a token carries, shaped as a session so headers and rules treat it alike.
    /// Without a linked user there is no user id (`X-Auth-User-Id` is left out).
    /// `rules`: the location's, whose group and claim rules read the token's own claims (the
    /// `groups` claim, and each claim a rule names), as they read a session's.
    static func bearerRecord(
        _ claims: JWTClaims, provider: String?, user: UserRecord?, rules: AccessRules = AccessRules(allow: []), now: Int64
    ) -> SessionRecord {
        let subject = claims.subject ?? ""
        var email = claims.email.flatMap { EmailAddress.normalized($0) }
        var verified = email != nil && claims.emailVerified
        if !verified, let owned = user?.email {
            (email, verified) = (owned, true)
        }
        let identities = user?.identityNames ?? provider.map { ["\($0):\(subject)"] } ?? []
        var record = SessionRecord(
            userID: user?.id ?? "", provider: provider ?? "", subject: subject, login: claims.preferredUsername,
            email: email, name: claims.name ?? user?.name, identities: identities,
            createdAt: Int64(claims.issuedAt ?? Double(now)), expiresAt: Int64(claims.expiresAt ?? Double(now)),
            lastSeenAt: now)
        record.emailVerified = verified
        var identity = VerifiedIdentity(provider: provider ?? "", subject: subject)
        RuleClaimReader(readsGroups: true, kept: rules.claimNames.sorted()).read(.object(claims.values), into: &identity)
        (record.groups, record.claims) = (identity.groups, identity.claims)
        return record
    }

    /// A digest of the token: unique per token, and the cache holds nothing of the token itself.
    static func bearerCacheKey(_ token: String) -> String {
        "bearer:" + Base64URL.encode(Digest.sha256(Array(token.utf8)))
    }
}
