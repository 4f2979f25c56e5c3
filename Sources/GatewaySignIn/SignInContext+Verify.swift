// GET /auth/verify: forward-auth for a proxy in front (nginx auth_request, Traefik, Caddy),
// judging the original request by the rules of the location it is for.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

extension SignInContext {
    /// 200 with every identity header of the location (empty when the user has no value, so the
    /// proxy overwrites client copies), 401 or a 302 to sign in, 403, or 400 for a request that
    /// names no original URI a trusted proxy sent.
    func verify(_ request: LocalRequest, done: @escaping Answer) {
        let head = request.head
        switch ForwardAuth.originalRequest(head.headers, fromTrustedPeer: request.peerTrusted) {
        case .missing:
            if head.headers.contains("x-original-uri") || head.headers.contains("x-forwarded-uri") {
                // The usual misconfiguration: the proxy's address is missing from trusted_proxies.
                log.warning(
                    "forward-auth question from a peer not in trusted_proxies", metadata: ["client": .string(request.peerHost)])
            }
            done(LocalResponse.error(400, detail: ForwardAuth.missingMessage, for: head))
        case .invalid(let reason):
            done(LocalResponse.error(400, detail: "Forward-auth: \(reason).", for: head))
        case .request(let original):
            // `rd` (any value) asks for the redirect per request; its value is never a target.
            let redirect = verifyRedirect || HTTPText.query(of: head.path)["rd"] != nil
            verify(head, original: original, redirect: redirect, locate: request.locate, done: done)
        }
    }

    private func verify(
        _ head: HTTPRequestHead, original: ForwardAuth.OriginalRequest, redirect: Bool,
        locate: ([UInt8]) -> LocationLookup, done: @escaping Answer
    ) {
        // The same canonical form and refusals as a direct request, so no spelling of the
        // original path reaches a location with weaker rules.
        let location: LocationConfig
        switch locate(original.target) {
        case .rejected:
            done(LocalResponse.error(400, detail: "The original request path is not allowed.", for: head))
            return
        case .none:
            // A direct request would get 404, but a proxy reads anything but 2xx/401/403 as its
            // own failure (nginx: 500). Nothing is public unless a location says so: deny.
            done(LocalResponse.error(403, detail: "No location covers this path.", for: head))
            return
        case .location(let found):
            location = found
        }
        if location.auth == .off {
            done(Self.verified(ForwardAuth.emptyIdentity(location: location)))
            return
        }
        withSession(
            head, answer: done,
            onMissing: { [self] in verifyUnauthenticated(head, original: original, redirect: redirect, done: done) }
        ) { [self] id, record in
            guard AccessPolicy.admits(location.access, record) else {
                done(LocalResponse.error(403, detail: RefusedPage.detail, for: head))
                return
            }
            withProviderTokens(
                head, id, record, location: location, answer: done,
                onEnded: { [self] in verifyUnauthenticated(head, original: original, redirect: redirect, done: done) }
            ) { tokens in
                let block = IdentityHeaders.block(for: record, location: location, includeEmpty: true, tokens: tokens)
                done(Self.verified(ForwardAuth.fields(ofBlock: block)))
            }
        }
    }

    /// A browser asking for the redirect gets 302 to our sign-in page, absolute because it sees
    /// this answer through the proxy's host; everything else gets 401.
    private func verifyUnauthenticated(
        _ head: HTTPRequestHead, original: ForwardAuth.OriginalRequest, redirect: Bool, done: Answer
    ) {
        let signInURL = publicURL.description + signInLocation(next: ForwardAuth.next(for: original))
        if redirect, original.isNavigation, !LocalResponse.prefersJSON(head) {
            done(.redirect(signInURL))
        } else {
            done(
                LocalResponse.json(
                    401, "{\"status\":401,\"error\":\"Unauthorized\",\"sign_in\":\(JSONWriter.quoted(signInURL))}\n"))
        }
    }

    private static func verified(_ identity: [(String, String)]) -> LocalResponse {
        LocalResponse(status: 200, headers: [("Cache-Control", "no-store")] + identity, body: [])
    }
}
