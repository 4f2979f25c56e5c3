// The session gate: the session cookie, one store round trip, the idle policy, the rules.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext: AccessGate {
    /// The fast path's decision (`immediateDecision`) before any completion is made: only for a
    /// store with sessions at hand, and never for a bearer request (judged by its token).
    public func decideAtOnce(_ head: HTTPRequestHead, location: LocationConfig) -> GateDecision? {
        guard immediateSessions != nil else { return nil }
        if location.bearer != nil, BearerCredential(head.headers) != .absent { return nil }
        guard let id = sessionID(in: head.headers) else { return nil }
        return immediateDecision(head, id, location: location)
    }

    /// `auth required`: a session and the location's rules give the identity header block.
    /// With `accept bearer`, a request carrying `Authorization: Bearer` is judged by the token
    /// alone (`SignInContext+Bearer`); without one, by its session.
    public func check(_ head: HTTPRequestHead, location: LocationConfig, completion: @escaping (GateDecision) -> Void) {
        if let bearer = location.bearer, case let credential = BearerCredential(head.headers), credential != .absent {
            return checkBearer(credential, config: bearer, head: head, location: location, completion: completion)
        }
        // The fast path was asked first (`decideAtOnce`, by the connection): here it declined,
        // so this goes straight to the store's general answer.
        let id = sessionID(in: head.headers)
        let acceptsBearer = location.bearer != nil
        withSession(
            head, id, answer: { completion(.answer($0)) },
            onMissing: { [self] in completion(.answer(withBearerChallenge(unauthenticated(head), acceptsBearer: acceptsBearer))) }
        ) { [self] id, record in
            if let refusal = refusal(head, record, location: location) { return completion(refusal) }
            // Without provider tokens to pass, no closures: each of the three below captured a
            // copy of the record and of the location (uprobes on the uncached row: their copies
            // and destroys were over 150 of the 670 retains and releases per request).
            guard location.passAccessToken else { return completion(allowed(id, record, location: location, tokens: nil)) }
            withProviderTokens(
                head, id, record, location: location, answer: { completion(.answer($0)) },
                onEnded: { [self] in completion(.answer(unauthenticated(head))) }
            ) { [self] tokens in
                completion(allowed(id, record, location: location, tokens: tokens))
            }
        }
    }

    /// The common case, decided on the caller's stack: a live session the store has at hand (the
    /// local cache, the memory store), with no last-seen write due and no provider token to pass.
    /// The same decision as the general path in `check`, without its completion closures and the
    /// copies of the head and the location they capture. Nil: the general path decides.
    ///
    /// Why: on the cached authenticated path those closures' contexts and captured copies
    /// (`LocationConfig`'s and `HTTPRequestHead`'s value witnesses) showed in the profile.
    func immediateDecision(_ head: HTTPRequestHead, _ id: SessionID, location: LocationConfig) -> GateDecision? {
        guard !location.passAccessToken, let immediateSessions, let record = immediateSessions.immediateRecord(id)
        else { return nil }
        let now = now()
        guard !hasEnded(record, now: now), now - record.lastSeenAt < Self.touchInterval else { return nil }
        return refusal(head, record, location: location) ?? allowed(id, record, location: location, tokens: nil)
    }

    /// The 403 when the location's rules do not admit the session's user.
    private func refusal(_ head: HTTPRequestHead, _ record: SessionRecord, location: LocationConfig) -> GateDecision? {
        guard !AccessPolicy.admits(location.access, record) else { return nil }
        return .answer(refused(head, session: record, next: RedirectTarget.sanitize(head.pathString)))
    }

    /// Forwarded, with the user's identity headers (and the signed assertion, if configured).
    private func allowed(_ id: SessionID, _ record: SessionRecord, location: LocationConfig, tokens: ProviderTokens?)
        -> GateDecision
    {
        // With a provider token the block is the request's own; without, the loop's cached one.
        let identity =
            tokens == nil
            ? identityBlocks.block(for: record, session: id.value, location: location)
            : IdentityHeaders.block(for: record, location: location, tokens: tokens)
        let assertion = assertionHeader(for: record, cacheKey: id.value, location: location)
        let block = assertion.isEmpty ? identity : identity + assertion
        return .allow(identityHeaders: block, session: SessionToken(id.value))
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
        withSession(head, sessionID(in: head.headers), answer: answer, onMissing: onMissing, then: then)
    }

    /// `withSession` with the session id already read from the head (nil: none, or not valid).
    func withSession(
        _ head: HTTPRequestHead, _ id: SessionID?, answer: @escaping (LocalResponse) -> Void,
        onMissing: @escaping () -> Void, then: @escaping (SessionID, SessionRecord) -> Void
    ) {
        guard let id else {
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
