// Reading a small request body for a local endpoint that asked for it (`bodyLimit`) before
// the endpoint is asked: the `collecting` phase.

extension ExchangeMachine {
    /// Enters `collecting`, or refuses with 413 a body that cannot fit.
    mutating func startCollecting(for endpoint: LocalEndpoint, limit: Int, now: UInt64) -> Action {
        guard let e = exchange, BodyDiscard.mayFit(e.head.framing, limit: limit) else {
            return refuse(LocalResponse.error(413, for: exchange?.head))
        }
        discard = BodyDiscard(decoder: e.requestDecoder, limit: limit, keeping: true)
        collectingFor = endpoint
        phase = .collecting
        setDeadline(.body, now: now)
        return .collectBody(sendContinue: e.head.expectsContinue)
    }

    /// Keeps what of `bytes` belongs to a local endpoint's body; returns how many, and what next.
    mutating func collected(_ bytes: UnsafeRawBufferPointer) -> (used: Int, action: Action) {
        guard phase == .collecting, var d = discard, let endpoint = collectingFor else {
            preconditionFailure("collecting in phase \(phase)")
        }
        let (used, outcome) = d.feed(bytes)
        discard = d
        switch outcome {
        case .needMore: return (used, .none)
        case .complete:
            exchange?.localBody = d.kept
            exchange?.requestComplete = true
            (discard, collectingFor) = (nil, nil)
            phase = .waiting
            clearDeadline()
            return (used, .askEndpoint(endpoint))
        case .tooLarge:
            collectingFor = nil
            return (used, refuse(LocalResponse.error(413, for: exchange?.head)))
        case .invalid:
            collectingFor = nil
            return (used, refuse(LocalResponse.error(400, for: exchange?.head)))
        }
    }
}
