// GET /auth/account and its session controls: "sign out this session" and "sign out
// everywhere else". Each only ever touches sessions of the signed-in user.
import GatewayAuth
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext {
    /// The page (HTML, or JSON for API clients). Signed out: a browser goes to sign in and
    /// comes back here (`next=`), an API client gets 401.
    func account(_ head: HTTPRequestHead, done: @escaping Answer) {
        withSession(head, answer: done, onMissing: { [self] in done(unauthenticated(head)) }) { [self] id, record in
            identities.user(record.userID) { [self] found in
                guard case .success(let user) = found else { return done(storeUnavailable(head)) }
                guard let user else { return done(unauthenticated(head)) }
                sessions.sessions(ofUser: user.id) { [self] listed in
                    guard case .success(let stored) = listed else { return done(storeUnavailable(head)) }
                    let view = AccountView(
                        user: user, current: (id, record), sessions: stored, providers: providers, prefix: prefix,
                        handles: sessionHandles)
                    if LocalResponse.prefersJSON(head) {
                        done(LocalResponse.json(200, AccountJSON.render(view)))
                    } else {
                        done(.page(200, AccountPage.html(view)))
                    }
                }
            }
        }
    }

    /// `POST /auth/sessions/{handle}/sign_out`: ends one of the user's sessions by its handle
    /// (the current one included, which also clears this browser's cookie).
    func signOutSession(_ head: HTTPRequestHead, handle: String, query: [String: String], done: @escaping Answer) {
        withOwnSessions(head, done: done) { [self] id, record, stored in
            guard let target = sessionHandles.find(handle, in: stored) else {
                return done(LocalResponse.json(404, "{\"status\":404,\"error\":\"No such session\"}\n"))
            }
            endSessions([target.id], of: record.userID, current: id, head: head, query: query, done: done)
        }
    }

    /// `POST /auth/sessions/sign_out_others`: ends every session of the user but this one.
    func signOutOthers(_ head: HTTPRequestHead, query: [String: String], done: @escaping Answer) {
        withOwnSessions(head, done: done) { [self] id, record, stored in
            let others = stored.map(\.id).filter { $0 != id }
            endSessions(others, of: record.userID, current: id, head: head, query: query, done: done)
        }
    }

    /// The cross-site check, the session, and the user's listed sessions, or the answer that
    /// stops short of them.
    private func withOwnSessions(
        _ head: HTTPRequestHead, done: @escaping Answer,
        then: @escaping (SessionID, SessionRecord, [StoredSession]) -> Void
    ) {
        guard Self.isSameOrigin(head, publicURL: publicURL) else {
            return done(LocalResponse.error(403, detail: "Cross-site request refused.", for: head))
        }
        withSession(
            head, answer: done,
            onMissing: { done(LocalResponse.json(401, "{\"status\":401,\"error\":\"Unauthorized\"}\n")) }
        ) { [self] id, record in
            sessions.sessions(ofUser: record.userID) { [self] listed in
                guard case .success(let stored) = listed else { return done(storeUnavailable(head)) }
                then(id, record, stored)
            }
        }
    }

    private func endSessions(
        _ ids: [SessionID], of userID: String, current: SessionID, head: HTTPRequestHead, query: [String: String],
        done: @escaping Answer
    ) {
        sessions.deleteSessions(ids, ofUser: userID) { [self] result in
            guard case .success(let count) = result else { return done(storeUnavailable(head)) }
            log.info(
                "sessions signed out from the account page", metadata: ["user": .string(userID), "count": "\(count)"])
            let endedHere = ids.contains(current)
            let cookies = endedHere ? [clearedSessionCookie] : []
            if let next = query["next"].map({ RedirectTarget.sanitize($0) }) {
                return done(.redirect(next, cookies: cookies))
            }
            let body = "{\"signed_out\":\(count),\"signed_out_here\":\(endedHere)}\n"
            done(LocalResponse.json(200, body).adding(cookies.map { ("Set-Cookie", $0) }))
        }
    }

    func storeUnavailable(_ head: HTTPRequestHead) -> LocalResponse {
        LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head)
    }
}
