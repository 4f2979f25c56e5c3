// The flight's lease upkeep and its ends: renewal while the provider is called, release,
// and the answer every waiter gets.
import GatewayAuth
import GatewaySessions

extension TokenRefresher {
    /// Extends the lease every `renewMilliseconds` while the provider call runs.
    func keepRenewing(_ id: SessionID, _ flight: Flight) {
        guard let schedule, let leases else { return }
        schedule(Self.renewMilliseconds) { [self] in
            guard flight.calling, flights[id] === flight else { return }
            leases.renewRefreshLease(id, owner: flight.owner, milliseconds: Self.leaseMilliseconds) { _ in }
            keepRenewing(id, flight)
        }
    }

    func release(_ id: SessionID, _ flight: Flight) {
        leases?.releaseRefreshLease(id, owner: flight.owner) { _ in }
    }

    /// The tokens another writer put in the session.
    func served(_ record: SessionRecord, _ id: SessionID) -> TokenOutcome {
        guard let sealed = record.sealedTokens else { return .tokens(nil) }
        return .tokens(vault.open(sealed, for: id, now: clock.unixSeconds())?.tokens)
    }

    /// When no renewal happened: the current token while it lasts.
    func fallback(_ flight: Flight) -> TokenOutcome {
        guard let expiresAt = flight.tokens.expiresAt, expiresAt <= clock.unixSeconds() else {
            return .tokens(flight.tokens)
        }
        return .unavailable
    }

    func finish(_ id: SessionID, _ flight: Flight, _ outcome: TokenOutcome) {
        guard flights[id] === flight else { preconditionFailure("a token refresh flight finished twice") }
        flights.removeValue(forKey: id)
        for waiter in flight.waiters { waiter(outcome) }
    }
}
