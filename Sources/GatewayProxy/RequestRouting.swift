// What a parsed request head is for: one decision, made on the canonical target, before any
// I/O. Health checks, the sign-in endpoints, locations and upgrade admission, in that order.
import GatewayCore
import GatewayHTTP

/// What the connection does with a request head (the "head parsed" event's input).
enum RouteDecision {
    /// The gateway answers it; the connection may stay open.
    case answer(LocalResponse)
    /// The gateway answers it and closes: what follows the head cannot be trusted.
    case refuse(LocalResponse)
    /// The local endpoint (`/auth/*`) claimed the canonical target.
    case local(LocalEndpoint)
    /// A protected location: the access gate decides.
    case gate(Route)
    /// A public location: straight upstream.
    case proxy(Route)
}

/// Where the request comes from, as routing needs it.
struct RequestOrigin {
    let peer: SocketAddress
    let peerTrusted: Bool
    let endpoint: LocalEndpoint?
}

enum RequestRouting {
    /// Decides on `head`; fills `exchange.target` and, for a checked WebSocket handshake,
    /// `exchange.websocketAccept`.
    static func decide(_ exchange: inout Exchange, from origin: RequestOrigin, shared: ProxyShared) -> RouteDecision {
        let head = exchange.head
        let target: CanonicalTarget
        switch PathCanonicalizer.canonicalize(head.path, allowEncodedSlashes: shared.allowEncodedSlashes) {
        case .canonical(let t): target = t
        case .rejected(.notOriginForm): return .answer(LocalResponse.error(404, for: head))  // `OPTIONS *`, CONNECT
        case .rejected: return .refuse(LocalResponse.error(400, detail: "The request path is not allowed.", for: head))
        }
        exchange.target = target
        if let health = HealthEndpoints.response(
            for: head, path: target.path, peer: origin.peer, peerTrusted: origin.peerTrusted, shared: shared)
        {
            return .answer(health)
        }
        if let endpoint = origin.endpoint, endpoint.claims(target.forwarded) { return .local(endpoint) }
        guard let route = shared.router.match(target.matchPath) else { return .answer(LocalResponse.error(404, for: head)) }
        exchange.route = route
        let isProtected = route.location.auth != .off
        switch WebSocketHandshake.check(head) {
        case .notWebSocket:
            // Any other upgrade (h2c, ...) goes on as a plain request: the rewriter drops its
            // Upgrade as hop-by-hop.
            break
        case .invalid(let error):
            // Closed after: a refused handshake may be followed by bytes meant for a tunnel.
            return .refuse(LocalResponse.error(400, detail: error.description, for: head))
        case .valid(let handshake):
            if isProtected && !isOwnOrigin(head, shared: shared) {
                // A signed-in browser's cookie rides along on a cross-site WebSocket (no CORS
                // applies to it), so another site could talk to the app as the user.
                return .answer(
                    LocalResponse.error(403, detail: "WebSocket connections from another site are refused.", for: head))
            }
            exchange.websocketAccept = handshake.expectedAccept
        }
        return isProtected ? .gate(route) : .proxy(route)
    }

    /// Browsers always send Origin on a WebSocket; a client without one is not a browser, and
    /// carries its own credentials. More than one Origin is never a browser's either.
    private static func isOwnOrigin(_ head: HTTPRequestHead, shared: ProxyShared) -> Bool {
        let origins = head.headers.indices(of: "origin")
        guard let first = origins.first else { return true }
        return origins.count == 1
            && OriginCheck.isAllowed(head.headers.value(at: first), allowed: shared.websocketOrigins)
    }

    /// Finds the location for another request's target (forward-auth), with the same canonical
    /// form and refusals as a direct request.
    static func locate(_ original: [UInt8], shared: ProxyShared) -> LocationLookup {
        guard
            case .canonical(let t) = PathCanonicalizer.canonicalize(original, allowEncodedSlashes: shared.allowEncodedSlashes)
        else { return .rejected }
        return shared.router.match(t.matchPath).map { .location($0.location) } ?? .none
    }
}
