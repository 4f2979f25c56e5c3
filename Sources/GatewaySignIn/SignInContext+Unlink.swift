// POST /auth/identities/{provider}/unlink: remove one of the signed-in user's identities.
import GatewayAuth
import GatewayCore
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext {
    /// Removes the user's identity at `provider`; never the last one (409). The sessions signed
    /// in with it end (`endSessions`).
    func unlink(_ head: HTTPRequestHead, provider: String, query: [String: String], done: @escaping Answer) {
        guard Self.isSameOrigin(head, publicURL: publicURL) else {
            done(LocalResponse.error(403, detail: "Cross-site request refused.", for: head))
            return
        }
        withSession(
            head, answer: done,
            onMissing: { done(LocalResponse.json(401, "{\"status\":401,\"error\":\"Unauthorized\"}\n")) }
        ) { [self] id, record in
            identities.user(record.userID) { [self] found in
                guard case .success(let user?) = found else {
                    done(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                    return
                }
                guard let identity = user.identities.first(where: { $0.provider == provider }) else {
                    done(
                        LocalResponse.json(
                            404,
                            "{\"status\":404,\"error\":\"No identity to unlink\",\"provider\":\(JSONWriter.quoted(provider))}\n"
                        ))
                    return
                }
                identities.unlink(provider: provider, subject: identity.subject, from: user.id) {
                    [self] result in
                    switch result {
                    case .failure(let error) where error.isConflict:
                        done(
                            LocalResponse.json(
                                409,
                                "{\"status\":409,\"error\":\"This is the account's last sign-in identity; it stays linked.\"}\n"
                            ))
                    case .failure(let error):
                        log.error("identity store failed", metadata: ["error": .string(error.description)])
                        done(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                    case .success(let updated):
                        log.info(
                            "identity unlinked", metadata: ["provider": .string(provider), "user": .string(user.id)])
                        endSessions(
                            head, of: identity, user: updated, current: (id, record), query: query,
                            done: done)
                    }
                }
            }
        }
    }

    /// After an unlink: the sessions signed in with that identity end, since it no longer
    /// vouches for this user. The current session ends too when it is one of them (its cookie
    /// is cleared); otherwise it is rewritten so X-Auth-Identities follows at once.
    private func endSessions(
        _ head: HTTPRequestHead, of identity: LinkedIdentity, user: UserRecord,
        current: (id: SessionID, record: SessionRecord), query: [String: String],
        done: @escaping Answer
    ) {
        sessions.deleteSessions(userID: user.id, provider: identity.provider, subject: identity.subject) {
            [self] ended in
            if case .failure(let error) = ended {
                log.error(
                    "identity unlinked, but its sessions could not be ended",
                    metadata: ["provider": .string(identity.provider), "error": .string(error.description)])
                done(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                return
            }
            let next = query["next"].map { RedirectTarget.sanitize($0) }
            if current.record.provider == identity.provider && current.record.subject == identity.subject {
                if let next {
                    done(.redirect(next, cookies: [clearedSessionCookie]))
                } else {
                    let body = "{\"unlinked\":\(JSONWriter.quoted(identity.provider)),\"signed_out\":true}\n"
                    done(LocalResponse.json(200, body).adding([("Set-Cookie", clearedSessionCookie)]))
                }
                return
            }
            var session = current.record
            session.identities = user.identities.map { "\($0.provider):\($0.subject)" }
            sessions.update(current.id, session, ttlSeconds: ttl(for: session)) { _ in
                if let next {
                    done(.redirect(next))
                } else {
                    done(LocalResponse.json(200, SessionJSON.me(record: session, user: user)))
                }
            }
        }
    }
}
