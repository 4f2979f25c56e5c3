// POST /auth/sign_out: the local session always ends; with `end_provider_session on` (or
// `?provider=1`) the browser then goes to the provider's end_session_endpoint as well.
import GatewayAuth
import GatewayConfig
import GatewayCrypto
import GatewayHTTP
import GatewayProxy
import GatewaySessions

extension SignInContext {
    func signOut(_ head: HTTPRequestHead, query: [String: String], done: @escaping Answer) {
        guard Self.isSameOrigin(head, publicURL: publicURL) else {
            done(LocalResponse.error(403, detail: "Cross-site sign-out refused.", for: head))
            return
        }
        let next = query["next"].map { RedirectTarget.sanitize($0) } ?? (prefix + "/sign_in?flash=signed_out")
        guard let id = sessionID(in: head.headers) else {
            done(.redirect(next, cookies: [clearedSessionCookie]))
            return
        }
        let unavailable = LocalResponse.error(
            503, detail: "Sign-out is unavailable right now; the session still stands.", for: head)
        let atProvider = query["provider"].map { $0 == "1" || $0 == "on" } ?? endProviderSession
        guard atProvider else {
            sessions.delete(id) { [self] result in
                guard case .success = result else { return done(unavailable) }
                done(.redirect(next, cookies: [clearedSessionCookie]))
            }
            return
        }
        // The record names the provider and holds the ID token; it is read before it goes.
        sessions.load(id) { [self] loaded in
            guard case .success(let record) = loaded else { return done(unavailable) }
            sessions.delete(id) { [self] deleted in
                guard case .success = deleted else { return done(unavailable) }
                guard let record, let url = providerLogoutURL(for: record, id: id) else {
                    return done(.redirect(next, cookies: [clearedSessionCookie]))
                }
                log.info("signed out, ending the provider's session", metadata: ["provider": .string(record.provider)])
                var answer = LocalResponse.redirect(url, cookies: [clearedSessionCookie])
                answer.status = 303  // after a POST: the browser GETs the provider's page
                done(answer)
            }
        }
    }

    /// RP-Initiated Logout's URL for the session's provider, with the ID token the session kept
    /// (opened only under this session's id) as `id_token_hint`; nil when the provider has none.
    func providerLogoutURL(for record: SessionRecord, id: SessionID) -> String? {
        guard let provider = provider(named: record.provider) else { return nil }
        let hint = record.sealedIDToken
            .flatMap { idTokenSeal.open($0, binding: id.value, now: now()) }
            .map { String(decoding: $0.payload, as: UTF8.self) }
        return provider.endSessionURL(
            idTokenHint: hint, postLogoutRedirectURI: postLogoutRedirectURI, state: SecureRandom.token(bytes: 16))
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
}
