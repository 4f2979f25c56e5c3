// OIDC Back-Channel Logout 1.0: `POST {prefix}/{provider}/backchannel_logout` with a logout
// token ends the sessions it names, in the shared store (so on every instance).
import GatewayAuth
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext {
    /// A logout token is a few KiB; the form body is read up to this.
    static let backChannelBodyLimit = 16 * 1024

    /// Only the back-channel endpoint reads a body.
    public func bodyLimit(_ head: HTTPRequestHead, target: [UInt8]) -> Int {
        guard head.methodKind == .post else { return 0 }
        let path = String(decoding: HTTPText.path(of: target), as: UTF8.self)
        guard path.hasPrefix(prefix + "/"), path.hasSuffix("/backchannel_logout") else { return 0 }
        return Self.backChannelBodyLimit
    }

    func backChannelLogout(_ request: LocalRequest, provider: SignInProvider, done: @escaping Answer) {
        guard let oidc = provider as? BackChannelLogoutProvider else {
            return done(Self.logoutError("invalid_request", "\(provider.name) does not support back-channel logout"))
        }
        let type = request.head.headers.firstValueString("content-type")?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded"),
            let token = HTTPText.form(request.body[...])["logout_token"], !token.isEmpty
        else {
            return done(Self.logoutError("invalid_request", "expected a form body with logout_token"))
        }
        oidc.verifyLogoutToken(token) { [self] result in
            switch result {
            case .failure(let error) where error.idTokenError == nil:
                log.warning("back-channel logout: keys unavailable", metadata: ["provider": .string(provider.name)])
                done(LocalResponse.json(503, "{\"error\":\"temporarily_unavailable\"}\n"))
            case .failure(let error):
                log.info(
                    "back-channel logout token refused",
                    metadata: ["provider": .string(provider.name), "reason": .string(error.description)])
                done(Self.logoutError("invalid_request", error.idTokenError?.description ?? error.description))
            case .success(let logout):
                endSessions(of: logout, provider: provider.name, done: done)
            }
        }
    }

    /// The `jti` first (once per lifetime, in the shared store), then the sessions.
    private func endSessions(of logout: LogoutToken, provider: String, done: @escaping Answer) {
        let unavailable = { [self] (error: StoreError) in
            log.error("session store unavailable", metadata: ["error": .string(error.description)])
            done(LocalResponse.json(503, "{\"error\":\"temporarily_unavailable\"}\n"))
        }
        let ended: (Result<Int, StoreError>) -> Void = { [self] result in
            switch result {
            case .failure(let error): unavailable(error)
            case .success(let count):
                log.info(
                    "back-channel logout",
                    metadata: ["provider": .string(provider), "sessions": .string(String(count))])
                done(LocalResponse.json(200, "{\"sessions_ended\":\(count)}\n"))
            }
        }
        sessions.claimOnce("logout_jti:" + provider + ":" + logout.jti, ttlSeconds: logout.replayWindow) {
            [self] first in
            switch first {
            case .failure(let error): return unavailable(error)
            case .success(false): return done(Self.logoutError("invalid_request", "this logout token was already used"))
            case .success(true): break
            }
            if let sid = logout.sid {
                return sessions.deleteSessions(provider: provider, sid: sid, completion: ended)
            }
            let sub = logout.sub!  // LogoutToken holds a sid or a sub
            identities.user(provider: provider, subject: sub) { [self] found in
                switch found {
                case .failure(let error): unavailable(error)
                case .success(nil): ended(.success(0))
                case .success(let user?):
                    sessions.deleteSessions(userID: user.id, provider: provider, subject: sub, completion: ended)
                }
            }
        }
    }

    /// 400 with `{"error": ..., "error_description": ...}` (Back-Channel Logout §2.8).
    static func logoutError(_ code: String, _ description: String) -> LocalResponse {
        LocalResponse.json(
            400, "{\"error\":\(JSONWriter.quoted(code)),\"error_description\":\(JSONWriter.quoted(description))}\n")
    }

    /// `GET {prefix}/jwks.json`: the assertion's public key set; 404 without an assertion.
    func assertionKeySet(_ head: HTTPRequestHead) -> LocalResponse {
        guard let assertion else { return LocalResponse.error(404, for: head) }
        return LocalResponse(
            status: 200,
            headers: [("Content-Type", "application/json"), ("Cache-Control", "public, max-age=300")],
            body: Array((assertion.key.jwksJSON + "\n").utf8))
    }
}
