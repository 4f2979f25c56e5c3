// Where the connection meets sign-in: it asks the local endpoint or the access gate, and
// applies the answer once, after the one staleness check.
import GatewayHTTP

extension ClientConnection {
    /// A request the endpoint claimed (`/auth/*`): its answer, whenever it comes.
    func answerLocally(_ head: HTTPRequestHead, target: [UInt8], endpoint: LocalEndpoint) {
        let shared = self.shared
        let request = LocalRequest(
            head: head, target: target, peerHost: peerHost, peerTrusted: peerTrusted,
            locate: { original in
                // The same canonical form and refusals as a direct request.
                guard
                    case .canonical(let t) = PathCanonicalizer.canonicalize(
                        original, allowEncodedSlashes: shared.allowEncodedSlashes)
                else { return .rejected }
                return shared.router.match(t.matchPath).map { .location($0.location) } ?? .none
            })
        let serial = exchangeSerial
        state = .waiting
        endpoint.answer(request) { [self] response in
            guard isCurrent(serial) else { return }
            respond(response)
        }
    }

    /// `auth required`: the gate lets the request through with its identity headers, or answers.
    func passGate(_ head: HTTPRequestHead, route: Route) {
        guard let gate = context.gate else {
            respond(LocalResponse.error(503, detail: "Sign-in is not configured.", for: head))
            return
        }
        let serial = exchangeSerial
        state = .waiting
        gate.check(head, location: route.location) { [self] decision in
            guard isCurrent(serial) else { return }
            switch decision {
            case .answer(let response):
                respond(response)
            case .allow(let identity, let session):
                exchange?.session = session  // a tunnel re-checks it while open
                startProxy(head, route: route, identity: identity)
            }
        }
    }
}
