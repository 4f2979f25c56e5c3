// A connection that follows the primary: it locates it before every attempt, checks its ROLE,
// and moves when told the primary moved (`+switch-master`).
import CHiredis

extension RedisConnection {
    /// Asks the locator where to go, then connects there (attempt `generation`).
    func locate(_ generation: Int) {
        guard let locator else { preconditionFailure("locate(_:) on a connection without a locator") }
        locator.find { [weak self] located in
            guard let self, attempt == generation, phase == .connecting else { return }
            switch located {
            case .found(let address):
                (host, port) = (address.host, address.port)
                connect(generation)
            case .failed(let reason):
                attemptFailed(reason)
            }
        }
    }

    /// The primary moved (to `address`, when known): unless already connected there, drop the
    /// connection and locate it again at once, without waiting out the backoff. Call on `queue`.
    public func primaryMoved(to address: RedisAddress?, reason: String) {
        guard locator != nil, phase != .idle, phase != .closed else { return }
        if phase == .ready, let address, address.host == host, address.port == port { return }
        // Outside hiredis's callbacks the context ends at once and leaves us `.waiting`.
        if adapter != nil { abandon(reason) }
        if phase == .waiting || (phase == .connecting && adapter == nil) {
            backoff = Self.initialBackoff
            connect()  // a locate or resolve still in flight belongs to an older attempt now
        }
    }

    /// `ROLE`'s answer on a primary: `["master", offset, [replicas]]`.
    static func isPrimaryRole(_ value: RedisValue) -> Bool { roleName(value) == "master" }

    /// The first element of a `ROLE` reply (`master`, `slave`, `sentinel`), for the logs.
    static func roleName(_ value: RedisValue) -> String {
        guard case .array(let parts) = value, let first = parts.first, let name = first.text else { return "nothing" }
        return name
    }
}
