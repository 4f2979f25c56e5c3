// The session gate: the session cookie, one store round trip, the idle policy, the rules.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext: AccessGate {
    /// `auth required`: a session and the location's rules give the identity header block.
    /// With `accept bearer`, a request carrying `Authorization: Bearer` is judged by the token
    /// alone (`SignInContext+Bearer`); without one, by its session.
    public func check(_ head: HTTPRequestHead, location: LocationConfig, completion: @escaping (GateDecision) -> Void) {
        if let bearer = location.bearer, case let credential = BearerCredential(head.headers), credential != .absent {
            return checkBearer(credential, config: bearer, head: head, location: location, completion: completion)
        }
        withSession(
            head, answer: { completion(.answer($0)) },
            onMissing: { [self] in completion(.answer(withBearerChallenge(unauthenticated(head), location: location))) }
        ) { [self] id, record in
            guard AccessPolicy.admits(location.access, record) else {
                completion(.answer(refused(head, session: record, next: RedirectTarget.sanitize(head.pathString))))
                return
            }
            withProviderTokens(
                head, id, record, location: location, answer: { completion(.answer($0)) },
                onEnded: { [self] in completion(.answer(unauthenticated(head))) }
            ) { [self] tokens in
                let block =
                    IdentityHeaders.block(for: record, location: location, tokens: tokens)
                    + assertionHeader(for: record, cacheKey: id.value, location: location)
                completion(.allow(identityHeaders: block, session: SessionToken(id.value)))
            }
        }
    }

    /// Re-loads the session a tunnel was opened with: deleted or expired ends it.
    public func recheck(_ session: SessionToken, completion: @escaping (SessionCheck) -> Void) {
        guard let id = SessionID(session.value) else { return completion(.ended) }
        sessions.load(id) { [self] result in
            switch result {
            case .failure(let error): completion(.unavailable(error.description))
            case .success(let record?) where !hasEnded(record, now: now()): completion(.stands)
            case .success: completion(.ended)
            }
        }
    }

    /// The one rule for a session's end: its absolute lifetime or its idle timeout.
    func hasEnded(_ record: SessionRecord, now: Int64) -> Bool {
        record.expiresAt <= now || record.lastSeenAt + idleTimeout <= now
    }

    /// Runs `then` with the signed-in user's session; `onMissing` without one. A store failure
    /// is answered through `answer` (503).
    func withSession(
        _ head: HTTPRequestHead, answer: @escaping (LocalResponse) -> Void, onMissing: @escaping () -> Void,
        then: @escaping (SessionID, SessionRecord) -> Void
    ) {
        guard let id = sessionID(in: head.headers) else {
            onMissing()
            return
        }
        sessions.load(id) { [self] result in
            switch result {
            case .failure(let error):
                reportStoreFailure(error)
                answer(LocalResponse.error(503, detail: "Sign-in is unavailable right now. Please retry shortly.", for: head))
            case .success(nil):
                onMissing()
            case .success(let record?):
                let now = now()  // one clock read for both the end and the touch
                if hasEnded(record, now: now) {
                    sessions.delete(id) { _ in }
                    onMissing()
                    return
                }
                if now - record.lastSeenAt >= SignInContext.touchInterval {
                    var touched = record
                    touched.lastSeenAt = now
                    // Only over a session that still exists: a sign-out racing this request wins.
                    if let tokenStore, record.sealedTokens != nil {
                        // Never over tokens a refresh wrote since this read: that would bring back a used refresh token.
                        tokenStore.updateIfTokensUnchanged(
                            id, touched, expectedTokens: record.sealedTokens, ttlSeconds: ttl(for: touched)
                        ) { _ in }
                    } else {
                        sessions.update(id, touched, ttlSeconds: ttl(for: touched)) { _ in }
                    }
                }
                then(id, record)
            }
        }
    }

    /// The 403 for a signed-in user the rules refuse (`RefusedPage`).
    func refused(_ head: HTTPRequestHead, session: SessionRecord, next: String) -> LocalResponse {
        RefusedPage.response(
            for: head, session: session,
            providerName: provider(named: session.provider)?.displayName ?? session.provider,
            prefix: prefix, next: next)
    }

    /// A browser is sent to sign in (coming back to this URL); an API client gets 401.
    func unauthenticated(_ head: HTTPRequestHead) -> LocalResponse {
        if Self.isBrowserNavigation(head) {
            let next = RedirectTarget.sanitize(head.pathString)
            return .redirect(signInLocation(next: next))
        }
        return LocalResponse.json(
            401, "{\"status\":401,\"error\":\"Unauthorized\",\"sign_in\":\(JSONWriter.quoted(prefix + "/sign_in"))}\n")
    }

    /// GET or HEAD from something that wants HTML: not `Accept: application/json`, not XHR.
    static func isBrowserNavigation(_ head: HTTPRequestHead) -> Bool {
        guard head.methodKind == .get || head.methodKind == .head else { return false }
        return !LocalResponse.prefersJSON(head)
    }
}
