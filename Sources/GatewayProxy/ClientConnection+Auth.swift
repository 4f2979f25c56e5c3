// Protected locations: the session cookie, one store round trip, the policy, then the proxy.
import GatewayAuth
import GatewayCore
import GatewayHTTP
import GatewayJSON
import GatewaySessions

extension ClientConnection {
    /// Runs `then` with the signed-in user's session, or answers for an unauthenticated request.
    /// The store answers later: the connection waits in `.waiting` and checks it is still the
    /// same exchange when the answer comes.
    func withSession(
        _ head: HTTPRequestHead, signIn: SignInContext, onMissing: @escaping () -> Void,
        then: @escaping (SessionID, SessionRecord) -> Void
    ) {
        guard let id = signIn.sessionID(in: head.headers) else {
            onMissing()
            return
        }
        let serial = exchangeSerial
        state = .waiting
        signIn.sessions.load(id) { [self] result in
            guard isCurrent(serial) else { return }
            switch result {
            case .failure(let error):
                shared.errorLog.error("session store unavailable", metadata: ["error": .string(error.description)])
                respond(LocalResponse.error(503, detail: "Sign-in is unavailable right now. Please retry shortly.", for: head))
            case .success(nil):
                onMissing()
            case .success(let record?):
                let now = signIn.now()
                if record.expiresAt <= now || record.lastSeenAt + signIn.idleTimeout <= now {
                    signIn.sessions.delete(id) { _ in }
                    onMissing()
                    return
                }
                if now - record.lastSeenAt >= SignInContext.touchInterval {
                    var touched = record
                    touched.lastSeenAt = now
                    // Only over a session that still exists: a sign-out racing this request wins.
                    signIn.sessions.update(id, touched, ttlSeconds: signIn.ttl(for: touched)) { _ in }
                }
                then(id, record)
            }
        }
    }

    /// `auth required`: a session and the location's rules, then the proxy with identity headers.
    func authenticateThenProxy(_ head: HTTPRequestHead, route: Route) {
        guard let signIn = context.signIn else {
            respond(LocalResponse.error(503, detail: "Sign-in is not configured.", for: head))
            return
        }
        withSession(head, signIn: signIn, onMissing: { [self] in unauthenticated(head, signIn: signIn) }) { [self] id, record in
            guard AccessPolicy.allows(route.location.allow, record) else {
                respond(LocalResponse.error(403, detail: "Your account may not open this page.", for: head))
                return
            }
            exchange?.sessionID = id  // a tunnel re-checks it while open
            startProxy(head, route: route, identity: IdentityHeaders.block(for: record, location: route.location))
        }
    }

    /// A browser is sent to sign in (coming back to this URL); an API client gets 401.
    func unauthenticated(_ head: HTTPRequestHead, signIn: SignInContext) {
        if Self.isBrowserNavigation(head) {
            let next = RedirectTarget.sanitize(head.pathString)
            respond(.redirect(signIn.signInLocation(next: next)))
        } else {
            respond(
                LocalResponse.json(
                    401, "{\"status\":401,\"error\":\"Unauthorized\",\"sign_in\":\(JSONWriter.quoted(signIn.prefix + "/sign_in"))}\n"))
        }
    }

    /// GET or HEAD from something that wants HTML: not `Accept: application/json`, not XHR.
    static func isBrowserNavigation(_ head: HTTPRequestHead) -> Bool {
        guard head.methodKind == .get || head.methodKind == .head else { return false }
        return !LocalResponse.prefersJSON(head)
    }
}
