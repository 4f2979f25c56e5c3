// The endpoints under auth_prefix: sign-in page, start, callback, sign-out, me (verify and
// unlink in their own files). Each flow answers once, through `done`.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayProxy
import GatewaySessions

/// How a flow delivers its one answer.
typealias Answer = (LocalResponse) -> Void

extension SignInContext: LocalEndpoint {
    public var logRedactedPrefix: String? { prefix }

    /// True for the prefix itself and everything under it. Every request passes here: rule
    /// most out on bytes before making any String.
    public func claims(_ target: [UInt8]) -> Bool {
        guard target.starts(with: prefixBytes) else { return false }
        let path = String(decoding: HTTPText.path(of: target), as: UTF8.self)
        return path == prefix || path.hasPrefix(prefix + "/")
    }

    /// `target` is the canonical one, so `/auth/%6De` is `/auth/me` here as everywhere.
    public func answer(_ request: LocalRequest, completion done: @escaping (LocalResponse) -> Void) {
        let head = request.head
        let target = request.target
        let path = String(decoding: HTTPText.path(of: target), as: UTF8.self)
        let rest = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let parts = rest.map(String.init)
        let query = HTTPText.query(of: target)
        let isRead = head.methodKind == .get || head.methodKind == .head
        switch (parts.first ?? "", parts.count, isRead) {
        case ("sign_in", 1, true):
            let page = SignInPage.html(
                providers: providers, prefix: prefix, next: RedirectTarget.sanitize(query["next"]),
                flash: SignInPage.flashMessage(query["flash"]))
            done(.page(200, page))
        case ("sign_out", 1, _) where head.methodKind == .post:
            signOut(head, query: query, done: done)
        case ("identities", 3, _) where parts[2] == "unlink" && head.methodKind == .post:
            unlink(head, provider: parts[1], query: query, done: done)
        case ("account", 1, true):
            account(head, done: done)
        case ("sessions", 3, _) where parts[2] == "sign_out" && head.methodKind == .post:
            signOutSession(head, handle: parts[1], query: query, done: done)
        case ("sessions", 2, _) where parts[1] == "sign_out_others" && head.methodKind == .post:
            signOutOthers(head, query: query, done: done)
        case ("me", 1, true):
            me(head, done: done)
        case ("verify", 1, true):
            verify(request, done: done)
        case (let name, 1, true) where provider(named: name) != nil:
            startSignIn(head, provider: provider(named: name)!, query: query, done: done)
        case (let name, 2, true) where parts[1] == "callback" && provider(named: name) != nil:
            callback(head, provider: provider(named: name)!, query: query, client: request.clientAddress, done: done)
        case ("jwks.json", 1, true):
            done(assertionKeySet(head))
        case (let name, 2, _) where parts[1] == "backchannel_logout" && provider(named: name) != nil:
            guard head.methodKind == .post else { return done(LocalResponse.error(405, for: head).adding([("Allow", "POST")])) }
            backChannelLogout(request, provider: provider(named: name)!, done: done)
        case (_, _, false) where ["sign_in", "me", "verify", "sign_out", "account"].contains(parts.first ?? ""):
            done(LocalResponse.error(405, for: head).adding([("Allow", parts.first == "sign_out" ? "POST" : "GET, HEAD")]))
        default:
            done(LocalResponse.error(404, for: head))
        }
    }

    // MARK: Start

    private func startSignIn(
        _ head: HTTPRequestHead, provider: SignInProvider, query: [String: String], done: @escaping Answer
    ) {
        let next = RedirectTarget.sanitize(query["next"])
        guard provider.isReady else {
            done(LocalResponse.error(503, detail: "\(provider.displayName) cannot be reached right now.", for: head))
            return
        }
        if query["link"] == "1" {
            // Linking changes the signed-in user's account: only our own pages may start it.
            guard SameSiteNavigation.isAllowed(head.headers, publicURL: publicURL) else {
                done(LocalResponse.error(403, detail: "Linking must start from this site's own pages.", for: head))
                return
            }
            // Linking adds the new identity to the user who is signed in now.
            withSession(
                head, answer: done,
                onMissing: { [self] in done(.redirect(signInLocation(next: next))) },
                then: { [self] _, record in
                    redirectToProvider(head, provider: provider, next: next, linkUserID: record.userID, done: done)
                })
            return
        }
        redirectToProvider(head, provider: provider, next: next, linkUserID: nil, done: done)
    }

    /// Everything the callback needs goes into the sealed state cookie: no store is written, so
    /// an unauthenticated flood of starts costs no memory and needs no Redis.
    private func redirectToProvider(
        _ head: HTTPRequestHead, provider: SignInProvider, next: String, linkUserID: String?, done: @escaping Answer
    ) {
        provider.begin(redirectURI: redirectURI(for: provider)) { [self] started in
            guard case .success(let start) = started else {
                done(LocalResponse.error(503, detail: "\(provider.displayName) cannot be reached right now.", for: head))
                return
            }
            let now = now()
            let record = AuthStateRecord(
                provider: provider.name, state: start.key, nonce: start.remembered.nonce,
                verifier: start.remembered.verifier, next: next, linkUserID: linkUserID, createdAt: now)
            let cookies =
                stateCookies.evictions(provider: provider.name, in: head.headers, now: now)
                + [stateCookies.setCookie(for: record, now: now)]
            done(.redirect(start.authorizationURL, cookies: cookies))
        }
    }

    // MARK: Callback

    private func callback(
        _ head: HTTPRequestHead, provider: SignInProvider, query: [String: String], client: String,
        done: @escaping Answer
    ) {
        // The state in the URL must name an attempt this browser holds (login CSRF otherwise).
        let key = provider.callbackKey(in: query) ?? ""
        let found = stateCookies.lookup(key: key, in: head.headers, now: now())
        let clear = stateCookies.cleared(provider: provider.name, key: key)
        if provider.isDenial(query) || query["error"] != nil {
            // A refusal signs nobody in, so it needs no state; with a valid one its cookie goes too.
            let flash = provider.isDenial(query) ? "denied" : "failed"
            onSignIn?(provider.name, provider.isDenial(query) ? "denied" : "provider_error")
            var next = "/"
            if case .found(let record) = found { next = record.next }
            done(
                .redirect(
                    prefix + "/sign_in?flash=\(flash)&next=" + HTTPText.encode(next),
                    cookies: found == .missing ? [] : [clear]))
            return
        }
        let remembered: AuthStateRecord
        switch found {
        case .missing:
            onSignIn?(provider.name, "state_mismatch")
            log.warning("sign-in callback with a missing or foreign state", metadata: ["provider": .string(provider.name)])
            // The browser's own attempts (if any) stay valid: their cookies are left alone.
            done(signInFailed(400, "This sign-in attempt does not belong to this browser."))
            return
        case .unusable:
            // Expired (ten minutes), or sealed under a secret that has since changed.
            onSignIn?(provider.name, "state_expired")
            done(signInFailed(400, "This sign-in attempt expired. Please sign in again.", clearing: clear))
            return
        case .found(let record):
            remembered = record
        }
        guard remembered.provider == provider.name else {
            onSignIn?(provider.name, "state_mismatch")
            done(signInFailed(400, "This sign-in attempt belongs to another provider.", clearing: clear))
            return
        }
        // The cookie is cleared by whatever answer follows; a replay with a saved copy reaches
        // the provider with a code it already redeemed, which it refuses (codes are single-use).
        let kept = SignInStart.Remembered(nonce: remembered.nonce, verifier: remembered.verifier)
        provider.finish(query: query, remembered: kept, redirectURI: redirectURI(for: provider)) { [self] result in
            switch result {
            case .failure(let error):
                onSignIn?(provider.name, error.outcome)
                log.warning(
                    "sign-in failed", metadata: ["provider": .string(provider.name), "reason": .string(error.description)])
                // A provider that did not answer refused nobody: say so, and that a retry may work.
                let unreachable = "\(provider.displayName) cannot be reached right now. Please try again in a moment."
                done(
                    error.isUnreachable
                        ? signInFailed(503, unreachable, clearing: clear)
                        : signInFailed(401, "Signing in did not work. Please try again.", clearing: clear))
            case .success(let identity):
                completeSignIn(head, identity: identity, remembered: remembered, client: client, done: done)
            }
        }
    }

    private func completeSignIn(
        _ head: HTTPRequestHead, identity provided: VerifiedIdentity, remembered: AuthStateRecord, client: String,
        done: @escaping Answer
    ) {
        // The one place a provider's identity enters: a refused email is no email from here on.
        let identity = provided.normalizingEmail()
        let claims = IdentityClaims(
            provider: identity.provider, subject: identity.subject, email: identity.email,
            emailVerified: identity.emailVerified, login: identity.login, name: identity.name)
        let finish: (Result<UserRecord, StoreError>) -> Void = { [self] outcome in
            switch outcome {
            case .failure(let error) where remembered.linkUserID != nil && error.isConflict:
                // The identity belongs to someone else: nothing changed, and the user stays signed in.
                onSignIn?(identity.provider, "refused_link")
                done(
                    signInFailed(
                        409, "That account is already linked to another user, so it was not linked. Nothing was changed.",
                        clearing: clearedStateCookie(for: remembered)))
            case .failure(let error):
                onSignIn?(identity.provider, "store_error")
                log.error("identity store failed", metadata: ["error": .string(error.description)])
                done(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
            case .success(let user):
                let id = SessionID.generate()
                var record = newSession(id: id, user: user, identity: identity, clientAddress: client)
                keepTokens(of: identity, in: &record, for: id)
                sessions.save(id, record, ttlSeconds: ttl(for: record)) { [self] saved in
                    guard case .success = saved else {
                        onSignIn?(identity.provider, "store_error")
                        done(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                        return
                    }
                    onSignIn?(identity.provider, remembered.linkUserID == nil ? "success" : "linked")
                    // The cookie this browser held (e.g. the session a link started from) is
                    // replaced: its session ends too, rather than lingering unreachable.
                    if let replaced = sessionID(in: head.headers), replaced != id { sessions.delete(replaced) { _ in } }
                    log.info(
                        "signed in", metadata: ["provider": .string(identity.provider), "user": .string(user.id)])
                    done(.redirect(remembered.next, cookies: [sessionCookie(id), clearedStateCookie(for: remembered)]))
                }
            }
        }
        if let userID = remembered.linkUserID {
            identities.link(claims, to: userID, completion: finish)
        } else {
            identities.signIn(claims) { [self] outcome in
                if case .success(.created(let user)) = outcome, identity.email != nil, !identity.emailVerified {
                    // Visible to operators wondering why two accounts were not joined.
                    log.info(
                        "new user: the provider did not mark the email verified, so it links no existing user",
                        metadata: ["provider": .string(identity.provider), "user": .string(user.id)])
                }
                finish(outcome.map(\.user))
            }
        }
    }

    /// `clearing`: the Set-Cookie that ends the attempt's state cookie, when it should go.
    func signInFailed(_ status: Int, _ message: String, clearing: String? = nil) -> LocalResponse {
        let link = prefix + "/sign_in"
        let html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Sign-in failed</title></head><body>"
            + "<h1>Sign-in failed</h1><p>\(HTMLText.escape(message))</p><p><a href=\"\(link)\">Sign in again</a></p></body></html>\n"
        return .page(status, html, cookies: clearing.map { [$0] } ?? [])
    }

    // MARK: Me (sign-out: +SignOut, verify: +Verify, account: +Account)

    private func me(_ head: HTTPRequestHead, done: @escaping Answer) {
        withSession(head, answer: done, onMissing: {
            done(LocalResponse.json(401, "{\"status\":401,\"error\":\"Unauthorized\"}\n"))
        }) { [self] _, record in
            identities.user(record.userID) { result in
                guard case .success(let user) = result else {
                    done(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                    return
                }
                done(LocalResponse.json(200, SessionJSON.me(record: record, user: user)))
            }
        }
    }
}
