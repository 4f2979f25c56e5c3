// The endpoints under auth_prefix: sign-in page, start, callback, sign-out, me and verify.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewaySessions

extension ClientConnection {
    /// True when the request was for an endpoint under the prefix (and is being answered).
    /// `target` is the canonical one, so `/auth/%6De` is `/auth/me` here as everywhere.
    func handleSignInEndpoint(_ head: HTTPRequestHead, target: [UInt8], signIn: SignInContext) -> Bool {
        // Every request passes here: rule most out on bytes before making any String.
        guard target.starts(with: signIn.prefixBytes) else { return false }
        let path = String(decoding: HTTPText.path(of: target), as: UTF8.self)
        guard path == signIn.prefix || path.hasPrefix(signIn.prefix + "/") else { return false }
        let rest = path.dropFirst(signIn.prefix.count).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let parts = rest.map(String.init)
        let query = HTTPText.query(of: target)
        let isRead = head.methodKind == .get || head.methodKind == .head
        switch (parts.first ?? "", parts.count, isRead) {
        case ("sign_in", 1, true):
            let page = SignInPage.html(
                providers: signIn.providers, prefix: signIn.prefix, next: RedirectTarget.sanitize(query["next"]),
                flash: SignInPage.flashMessage(query["flash"]))
            respond(.page(200, page))
        case ("sign_out", 1, _) where head.methodKind == .post:
            signOut(head, signIn: signIn, query: query)
        case ("identities", 3, _) where parts[2] == "unlink" && head.methodKind == .post:
            unlink(head, signIn: signIn, provider: parts[1], query: query)
        case ("me", 1, true):
            me(head, signIn: signIn)
        case ("verify", 1, true):
            verify(head, signIn: signIn)
        case (let name, 1, true) where signIn.provider(named: name) != nil:
            startSignIn(head, signIn: signIn, provider: signIn.provider(named: name)!, query: query)
        case (let name, 2, true) where parts[1] == "callback" && signIn.provider(named: name) != nil:
            callback(head, signIn: signIn, provider: signIn.provider(named: name)!, query: query)
        case (_, _, false) where ["sign_in", "me", "verify", "sign_out"].contains(parts.first ?? ""):
            respond(LocalResponse.error(405, for: head).adding([("Allow", parts.first == "sign_out" ? "POST" : "GET, HEAD")]))
        default:
            respond(LocalResponse.error(404, for: head))
        }
        return true
    }

    // MARK: Start

    private func startSignIn(_ head: HTTPRequestHead, signIn: SignInContext, provider: SignInProvider, query: [String: String]) {
        let next = RedirectTarget.sanitize(query["next"])
        guard provider.isReady else {
            respond(LocalResponse.error(503, detail: "\(provider.displayName) cannot be reached right now.", for: head))
            return
        }
        if query["link"] == "1" {
            // Linking changes the signed-in user's account: only our own pages may start it.
            guard SameSiteNavigation.isAllowed(head.headers, publicURL: signIn.publicURL) else {
                respond(LocalResponse.error(403, detail: "Linking must start from this site's own pages.", for: head))
                return
            }
            // Linking adds the new identity to the user who is signed in now.
            withSession(
                head, signIn: signIn,
                onMissing: { [self] in respond(.redirect(signIn.signInLocation(next: next))) },
                then: { [self] _, record in redirectToProvider(head, signIn: signIn, provider: provider, next: next, linkUserID: record.userID) })
            return
        }
        redirectToProvider(head, signIn: signIn, provider: provider, next: next, linkUserID: nil)
    }

    /// Everything the callback needs goes into the sealed state cookie: no store is written, so
    /// an unauthenticated flood of starts costs no memory and needs no Redis.
    private func redirectToProvider(
        _ head: HTTPRequestHead, signIn: SignInContext, provider: SignInProvider, next: String, linkUserID: String?
    ) {
        let serial = exchangeSerial
        state = .waiting
        provider.begin(redirectURI: signIn.redirectURI(for: provider)) { [self] started in
            guard isCurrent(serial) else { return }
            guard case .success(let start) = started else {
                respond(LocalResponse.error(503, detail: "\(provider.displayName) cannot be reached right now.", for: head))
                return
            }
            let now = signIn.now()
            let record = AuthStateRecord(
                provider: provider.name, state: start.key, nonce: start.remembered.nonce,
                verifier: start.remembered.verifier, next: next, linkUserID: linkUserID, createdAt: now)
            let cookies =
                signIn.stateCookies.evictions(provider: provider.name, in: head.headers, now: now)
                + [signIn.stateCookies.setCookie(for: record, now: now)]
            respond(.redirect(start.authorizationURL, cookies: cookies))
        }
    }

    // MARK: Callback

    private func callback(_ head: HTTPRequestHead, signIn: SignInContext, provider: SignInProvider, query: [String: String]) {
        // The state in the URL must name an attempt this browser holds (login CSRF otherwise).
        let key = provider.callbackKey(in: query) ?? ""
        let found = signIn.stateCookies.lookup(key: key, in: head.headers, now: signIn.now())
        let clear = signIn.stateCookies.cleared(provider: provider.name, key: key)
        if provider.isDenial(query) || query["error"] != nil {
            // A refusal signs nobody in, so it needs no state; with a valid one its cookie goes too.
            let flash = provider.isDenial(query) ? "denied" : "failed"
            var next = "/"
            if case .found(let record) = found { next = record.next }
            respond(
                .redirect(
                    signIn.prefix + "/sign_in?flash=\(flash)&next=" + HTTPText.encode(next),
                    cookies: found == .missing ? [] : [clear]))
            return
        }
        let remembered: AuthStateRecord
        switch found {
        case .missing:
            signIn.log.warning("sign-in callback with a missing or foreign state", metadata: ["provider": .string(provider.name)])
            // The browser's own attempts (if any) stay valid: their cookies are left alone.
            respond(signInFailed(400, "This sign-in attempt does not belong to this browser.", signIn: signIn))
            return
        case .unusable:
            // Expired (ten minutes), or sealed under a secret that has since changed.
            respond(signInFailed(400, "This sign-in attempt expired. Please sign in again.", signIn: signIn, clearing: clear))
            return
        case .found(let record):
            remembered = record
        }
        guard remembered.provider == provider.name else {
            respond(signInFailed(400, "This sign-in attempt belongs to another provider.", signIn: signIn, clearing: clear))
            return
        }
        // The cookie is cleared by whatever answer follows; a replay with a saved copy reaches
        // the provider with a code it already redeemed, which it refuses (codes are single-use).
        let serial = exchangeSerial
        state = .waiting
        let kept = SignInStart.Remembered(nonce: remembered.nonce, verifier: remembered.verifier)
        provider.finish(query: query, remembered: kept, redirectURI: signIn.redirectURI(for: provider)) { [self] result in
            guard isCurrent(serial) else { return }
            switch result {
            case .failure(let error):
                signIn.log.warning(
                    "sign-in failed", metadata: ["provider": .string(provider.name), "reason": .string(error.description)])
                respond(signInFailed(401, "Signing in did not work. Please try again.", signIn: signIn, clearing: clear))
            case .success(let identity):
                completeSignIn(head, signIn: signIn, identity: identity, remembered: remembered, serial: serial)
            }
        }
    }

    private func completeSignIn(
        _ head: HTTPRequestHead, signIn: SignInContext, identity provided: VerifiedIdentity, remembered: AuthStateRecord,
        serial: UInt64
    ) {
        // The one place a provider's identity enters: a refused email is no email from here on.
        let identity = provided.normalizingEmail()
        let claims = IdentityClaims(
            provider: identity.provider, subject: identity.subject, email: identity.email,
            emailVerified: identity.emailVerified, login: identity.login, name: identity.name)
        let finish: (Result<UserRecord, StoreError>) -> Void = { [self] outcome in
            guard isCurrent(serial) else { return }
            switch outcome {
            case .failure(let error) where remembered.linkUserID != nil && error.isConflict:
                // The identity belongs to someone else: nothing changed, and the user stays signed in.
                respond(
                    signInFailed(
                        409, "That account is already linked to another user, so it was not linked. Nothing was changed.",
                        signIn: signIn, clearing: signIn.clearedStateCookie(for: remembered)))
            case .failure(let error):
                signIn.log.error("identity store failed", metadata: ["error": .string(error.description)])
                respond(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
            case .success(let user):
                let id = SessionID.generate()
                let record = signIn.newSession(user: user, identity: identity)
                signIn.sessions.save(id, record, ttlSeconds: signIn.ttl(for: record)) { [self] saved in
                    guard isCurrent(serial) else { return }
                    guard case .success = saved else {
                        respond(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                        return
                    }
                    signIn.log.info(
                        "signed in", metadata: ["provider": .string(identity.provider), "user": .string(user.id)])
                    respond(.redirect(remembered.next, cookies: [signIn.sessionCookie(id), signIn.clearedStateCookie(for: remembered)]))
                }
            }
        }
        if let userID = remembered.linkUserID {
            signIn.identities.link(claims, to: userID, completion: finish)
        } else {
            signIn.identities.signIn(claims) { outcome in
                if case .success(.created(let user)) = outcome, identity.email != nil, !identity.emailVerified {
                    // Visible to operators wondering why two accounts were not joined.
                    signIn.log.info(
                        "new user: the provider did not mark the email verified, so it links no existing user",
                        metadata: ["provider": .string(identity.provider), "user": .string(user.id)])
                }
                finish(outcome.map(\.user))
            }
        }
    }

    /// `clearing`: the Set-Cookie that ends the attempt's state cookie, when it should go.
    func signInFailed(_ status: Int, _ message: String, signIn: SignInContext, clearing: String? = nil) -> LocalResponse {
        let link = signIn.prefix + "/sign_in"
        let html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Sign-in failed</title></head><body>"
            + "<h1>Sign-in failed</h1><p>\(HTMLText.escape(message))</p><p><a href=\"\(link)\">Sign in again</a></p></body></html>\n"
        return .page(status, html, cookies: clearing.map { [$0] } ?? [])
    }

    // MARK: Sign-out, me (verify: ClientConnection+Verify.swift)

    private func signOut(_ head: HTTPRequestHead, signIn: SignInContext, query: [String: String]) {
        guard Self.isSameOrigin(head, publicURL: signIn.publicURL) else {
            respond(LocalResponse.error(403, detail: "Cross-site sign-out refused.", for: head))
            return
        }
        let next = query["next"].map { RedirectTarget.sanitize($0) } ?? (signIn.prefix + "/sign_in?flash=signed_out")
        guard let id = signIn.sessionID(in: head.headers) else {
            respond(.redirect(next, cookies: [signIn.clearedSessionCookie]))
            return
        }
        let serial = exchangeSerial
        state = .waiting
        signIn.sessions.delete(id) { [self] result in
            guard isCurrent(serial) else { return }
            guard case .success = result else {
                respond(LocalResponse.error(503, detail: "Sign-out is unavailable right now; the session still stands.", for: head))
                return
            }
            respond(.redirect(next, cookies: [signIn.clearedSessionCookie]))
        }
    }

    /// A state-changing POST must come from our own pages: Sec-Fetch-Site, else Origin, decides.
    static func isSameOrigin(_ head: HTTPRequestHead, publicURL: PublicURL) -> Bool {
        if let site = head.headers.firstValueString("sec-fetch-site")?.lowercased() {
            return site == "same-origin" || site == "none"
        }
        if let origin = head.headers.firstValue("origin") {
            // Parsed, so `https://app.example.com:443` is ours and `https://app.example.com.evil` is not.
            return OriginCheck.isAllowed(origin, allowed: [publicURL])
        }
        // No browser sends a cross-site POST without either field; tools (curl) send neither.
        return true
    }

    private func me(_ head: HTTPRequestHead, signIn: SignInContext) {
        withSession(head, signIn: signIn, onMissing: { [self] in
            respond(LocalResponse.json(401, "{\"status\":401,\"error\":\"Unauthorized\"}\n"))
        }) { [self] _, record in
            let serial = exchangeSerial
            signIn.identities.user(record.userID) { [self] result in
                guard isCurrent(serial) else { return }
                guard case .success(let user) = result else {
                    respond(LocalResponse.error(503, detail: "Sign-in is unavailable right now.", for: head))
                    return
                }
                respond(LocalResponse.json(200, SessionJSON.me(record: record, user: user)))
            }
        }
    }
}
