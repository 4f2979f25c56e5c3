// The clocks of one WebSocket tunnel: no bytes either way, a client that stops reading, and
// when a protected tunnel must ask the store again whether its session still exists.

/// A value type fed by the connection: it notes what moved, and each tick says what to do.
struct TunnelTimers {
    /// How often a tunnel on a protected location re-loads its session, so a sign-out or an
    /// expiry closes it within this long (plus one store round trip). A constant, not an option:
    /// the contract is "within a minute", and nothing should be able to stretch it.
    static let sessionCheckInterval: UInt64 = 15_000_000_000

    enum Action: Equatable {
        case none
        /// No byte either way for `tunnel_idle_timeout`.
        case closeIdle
        /// Bytes wait for the client and none were taken for `send_timeout`.
        case closeClientStalled
        /// Time to re-load the session.
        case checkSession
    }

    let idleTimeout: UInt64
    let sendTimeout: UInt64
    private var lastActivity: UInt64
    /// Set by `noteActivity`, folded into `lastActivity` at the next tick: no clock read per event.
    private var activeSinceTick = false
    private var nextSessionCheck: UInt64
    /// Bytes ever queued for the client, and how many of them had been written at the last tick.
    private var queuedForClient: UInt64
    private var writtenAtLastTick: UInt64 = 0
    private var clientStalledSince: UInt64?

    /// `queuedForClient`: what the client's queue already holds (the 101 head).
    init(now: UInt64, idleTimeout: UInt64, sendTimeout: UInt64, checksSession: Bool, queuedForClient: Int) {
        self.idleTimeout = idleTimeout
        self.sendTimeout = sendTimeout
        lastActivity = now
        nextSessionCheck = checksSession ? now &+ Self.sessionCheckInterval : .max
        self.queuedForClient = UInt64(queuedForClient)
    }

    /// Bytes moved in either direction.
    mutating func noteActivity() { activeSinceTick = true }

    /// `count` bytes were queued for the client.
    mutating func noteQueuedForClient(_ count: Int) {
        queuedForClient &+= UInt64(count)
        activeSinceTick = true
    }

    /// `clientPending`: bytes still queued for the client now.
    mutating func tick(now: UInt64, clientPending: Int) -> Action {
        if activeSinceTick {
            activeSinceTick = false
            lastActivity = now
        }
        let written = queuedForClient &- UInt64(clientPending)
        if clientPending == 0 {
            clientStalledSince = nil
        } else if written != writtenAtLastTick || clientStalledSince == nil {
            clientStalledSince = now  // progress (or the first tick that sees a queue) restarts the clock
        }
        writtenAtLastTick = written
        if let since = clientStalledSince, now &- since >= sendTimeout { return .closeClientStalled }
        if now &- lastActivity >= idleTimeout { return .closeIdle }
        if now >= nextSessionCheck {
            nextSessionCheck = now &+ Self.sessionCheckInterval
            return .checkSession
        }
        return .none
    }
}
