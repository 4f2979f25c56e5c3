// GET /auth/verify: forward-auth for a proxy in front (nginx auth_request, Traefik, Caddy),
// judging the original request by the rules of the location it is for.
import GatewayAuth
import GatewayCore
import GatewayHTTP
import GatewayJSON
import GatewaySessions

extension ClientConnection {
    /// 200 with every identity header of the location (empty when the user has no value, so the
    /// proxy overwrites client copies), 401 or a 302 to sign in, 403, or 400 for a request that
    /// names no original URI a trusted proxy sent.
    func verify(_ head: HTTPRequestHead, signIn: SignInContext) {
        switch ForwardAuth.originalRequest(head.headers, fromTrustedPeer: shared.isTrusted(peer)) {
        case .missing:
            if head.headers.contains("x-original-uri") || head.headers.contains("x-forwarded-uri") {
                // The usual misconfiguration: the proxy's address is missing from trusted_proxies.
                shared.errorLog.warning(
                    "forward-auth question from a peer not in trusted_proxies", metadata: ["client": .string(peerHost)])
            }
            respond(LocalResponse.error(400, detail: ForwardAuth.missingMessage, for: head))
        case .invalid(let reason):
            respond(LocalResponse.error(400, detail: "Forward-auth: \(reason).", for: head))
        case .request(let original):
            // `rd` (any value) asks for the redirect per request; its value is never a target.
            let redirect = shared.verifyRedirect || HTTPText.query(of: head.path)["rd"] != nil
            verify(head, original: original, signIn: signIn, redirect: redirect)
        }
    }

    private func verify(
        _ head: HTTPRequestHead, original: ForwardAuth.OriginalRequest, signIn: SignInContext, redirect: Bool
    ) {
        // The same canonical form and refusals as a direct request, so no spelling of the
        // original path reaches a location with weaker rules.
        guard
            case .canonical(let target) = PathCanonicalizer.canonicalize(
                original.target, allowEncodedSlashes: shared.allowEncodedSlashes)
        else {
            respond(LocalResponse.error(400, detail: "The original request path is not allowed.", for: head))
            return
        }
        guard let route = shared.router.match(target.matchPath) else {
            // A direct request would get 404, but a proxy reads anything but 2xx/401/403 as its
            // own failure (nginx: 500). Nothing is public unless a location says so: deny.
            respond(LocalResponse.error(403, detail: "No location covers this path.", for: head))
            return
        }
        if route.location.auth == .off {
            respond(Self.verified(ForwardAuth.emptyIdentity(location: route.location)))
            return
        }
        withSession(
            head, signIn: signIn,
            onMissing: { [self] in verifyUnauthenticated(head, original: original, signIn: signIn, redirect: redirect) }
        ) { [self] _, record in
            guard AccessPolicy.allows(route.location.allow, record) else {
                respond(LocalResponse.error(403, detail: "Your account may not open this page.", for: head))
                return
            }
            let block = IdentityHeaders.block(for: record, location: route.location, includeEmpty: true)
            respond(Self.verified(ForwardAuth.fields(ofBlock: block)))
        }
    }

    /// A browser asking for the redirect gets 302 to our sign-in page, absolute because it sees
    /// this answer through the proxy's host; everything else gets 401.
    private func verifyUnauthenticated(
        _ head: HTTPRequestHead, original: ForwardAuth.OriginalRequest, signIn: SignInContext, redirect: Bool
    ) {
        let signInURL = signIn.publicURL.description + signIn.signInLocation(next: ForwardAuth.next(for: original))
        if redirect, original.isNavigation, !LocalResponse.prefersJSON(head) {
            respond(.redirect(signInURL))
        } else {
            respond(
                LocalResponse.json(
                    401, "{\"status\":401,\"error\":\"Unauthorized\",\"sign_in\":\(JSONWriter.quoted(signInURL))}\n"))
        }
    }

    private static func verified(_ identity: [(String, String)]) -> LocalResponse {
        LocalResponse(status: 200, headers: [("Cache-Control", "no-store")] + identity, body: [])
    }
}
