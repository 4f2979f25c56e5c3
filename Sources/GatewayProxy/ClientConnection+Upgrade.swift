// Upgrades that are what they claim: a checked RFC 6455 handshake in, a 101 that proves the
// upstream read the key out, and no cross-site WebSocket on a protected location.
import GatewayCore
import GatewayHTTP

extension ClientConnection {
    /// False when the request was answered here. A request asking for any other protocol
    /// (h2c, ...) goes on as a plain request: the rewriter drops its Upgrade as hop-by-hop.
    func admitUpgrade(_ head: HTTPRequestHead, route: Route) -> Bool {
        switch WebSocketHandshake.check(head) {
        case .notWebSocket:
            return true
        case .invalid(let error):
            // Closed after: a refused handshake may be followed by bytes meant for a tunnel.
            respondAndClose(LocalResponse.error(400, detail: error.description, for: head), head: head)
            return false
        case .valid(let handshake):
            if route.location.auth != .off && !isOwnOrigin(head) {
                // A signed-in browser's cookie rides along on a cross-site WebSocket (no CORS
                // applies to it), so another site could talk to the app as the user.
                respond(
                    LocalResponse.error(403, detail: "WebSocket connections from another site are refused.", for: head))
                return false
            }
            exchange?.websocketAccept = handshake.expectedAccept
            return true
        }
    }

    /// Browsers always send Origin on a WebSocket; a client without one is not a browser, and
    /// carries its own credentials. More than one Origin is never a browser's either.
    private func isOwnOrigin(_ head: HTTPRequestHead) -> Bool {
        let origins = head.headers.indices(of: "origin")
        guard let first = origins.first else { return true }
        return origins.count == 1
            && OriginCheck.isAllowed(head.headers.value(at: first), allowed: shared.websocketOrigins)
    }

    /// A 101 opens the tunnel only as the answer to a checked handshake, with the right accept.
    /// Anything else (h2c, a reflected Upgrade, a 101 to a plain request) gets 502: the bytes
    /// after it would otherwise be read by nobody knows which protocol.
    func switchingProtocols(_ response: HTTPResponseHead) {
        guard let e = exchange else { preconditionFailure("a response head without an exchange") }
        if let accept = e.websocketAccept, WebSocketHandshake.completes(response, expectedAccept: accept) {
            startTunnel(response)
        } else {
            let why =
                e.websocketAccept == nil
                ? "101 to a request that asked for no WebSocket" : "101 without a valid WebSocket accept"
            upstreamFailed(.io(SystemError(why, errno: 71)))
        }
    }
}
