// Asking the loop's local endpoint or access gate about the current exchange, and applying
// their answer after the one staleness check.
import GatewayCore

extension ClientConnection {
    /// A request the endpoint claimed (`/auth/*`), or a protected one for the gate: their
    /// answer, whenever it comes, applies only after the one staleness check.
    func ask(_ endpoint: LocalEndpoint) {
        guard let e = machine.exchange, let target = e.target else {
            preconditionFailure("an endpoint without a target")
        }
        let shared = self.shared
        var request = LocalRequest(
            head: e.head, target: target.forwarded, peerHost: peerHost, peerTrusted: peerTrusted,
            clientAddress: e.clientAddress,
            locate: { RequestRouting.locate($0, shared: shared) })
        request.body = e.localBody
        let serial = machine.serial
        endpoint.answer(request) { [self] response in
            guard machine.isCurrent(serial) else { return }
            apply(machine.localAnswer(response, draining: shared.isDraining, now: MonotonicClock.now()))
        }
    }

    func ask(_ gate: AccessGate?, route: Route) {
        guard let head = machine.exchange?.head else { preconditionFailure("a gate without an exchange") }
        guard let gate else {
            return apply(
                machine.localAnswer(
                    LocalResponse.error(503, detail: "Sign-in is not configured.", for: head),
                    draining: shared.isDraining,
                    now: MonotonicClock.now()))
        }
        if let decision = gate.decideAtOnce(head, location: route.location) {
            return apply(machine.gateDecided(decision, route: route, draining: shared.isDraining, now: MonotonicClock.now()))
        }
        let serial = machine.serial
        gate.check(head, location: route.location) { [self] decision in
            guard machine.isCurrent(serial) else { return }
            apply(machine.gateDecided(decision, route: route, draining: shared.isDraining, now: MonotonicClock.now()))
        }
    }
}
