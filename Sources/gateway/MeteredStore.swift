// A session and identity store that times every call into its loop's metrics, then delegates.
import GatewayCore
import GatewayMetrics
import GatewaySessions

/// Wraps the loop's store (memory or Redis) for `gateway_session_store_duration_seconds{op}`
/// and `gateway_session_store_errors_total{op}`. Series are resolved once here, so a call costs
/// two clock reads and one append to the loop's batch.
///
/// Thread-safety: `@unchecked Sendable`; one per loop, called and answered on that loop's
/// queue (the memory store answers synchronously, Redis on its connection's queue, the loop's).
final class MeteredStore: SessionStore, IdentityStore, @unchecked Sendable {
    enum Op: Int, CaseIterable {
        case load, save, delete, update, deleteSessions, userSessions, deleteUserSessions, signIn, link, unlink, user
        case deleteSID, claimOnce, userByIdentity
        var label: String {
            switch self {
            case .load: "load"
            case .save: "save"
            case .delete: "delete"
            case .update: "update"
            case .deleteSessions: "delete_sessions"
            case .userSessions: "user_sessions"
            case .deleteUserSessions: "delete_user_sessions"
            case .signIn: "sign_in"
            case .link: "link"
            case .unlink: "unlink"
            case .user: "user"
            case .deleteSID: "delete_sid_sessions"
            case .claimOnce: "claim_once"
            case .userByIdentity: "user_by_identity"
            }
        }
    }

    let sessions: SessionStore
    let identities: IdentityStore
    private let metrics: LoopMetrics
    private let durations: [LoopMetrics.Series]
    private let errors: [LoopMetrics.Series]

    init(sessions: SessionStore, identities: IdentityStore, metrics: LoopMetrics) {
        self.sessions = sessions
        self.identities = identities
        self.metrics = metrics
        durations = Op.allCases.map { metrics.histogram(MetricCatalog.storeDuration, [("op", $0.label)]) }
        errors = Op.allCases.map { metrics.counter(MetricCatalog.storeErrors, [("op", $0.label)]) }
    }

    /// Wraps `completion` so the call's time and failure are recorded before it runs.
    func timed<T>(_ op: Op, _ completion: @escaping (Result<T, StoreError>) -> Void)
        -> (Result<T, StoreError>) -> Void
    {
        let start = MonotonicClock.now()
        return { [metrics, durations, errors] result in
            metrics.observe(durations[op.rawValue], seconds: Double(MonotonicClock.now() &- start) / 1e9)
            if case .failure = result { metrics.increment(errors[op.rawValue]) }
            completion(result)
        }
    }

    func load(_ id: SessionID, completion: @escaping (Result<SessionRecord?, StoreError>) -> Void) {
        sessions.load(id, completion: timed(.load, completion))
    }

    func save(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        sessions.save(id, record, ttlSeconds: ttlSeconds, completion: timed(.save, completion))
    }

    func delete(_ id: SessionID, completion: @escaping (Result<Void, StoreError>) -> Void) {
        sessions.delete(id, completion: timed(.delete, completion))
    }

    func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        sessions.update(id, record, ttlSeconds: ttlSeconds, completion: timed(.update, completion))
    }

    func deleteSessions(
        userID: String, provider: String, subject: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        sessions.deleteSessions(
            userID: userID, provider: provider, subject: subject, completion: timed(.deleteSessions, completion))
    }

    func sessions(ofUser userID: String, completion: @escaping (Result<[StoredSession], StoreError>) -> Void) {
        sessions.sessions(ofUser: userID, completion: timed(.userSessions, completion))
    }

    func deleteSessions(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        sessions.deleteSessions(ids, ofUser: userID, completion: timed(.deleteUserSessions, completion))
    }

    func signIn(_ claims: IdentityClaims, completion: @escaping (Result<SignInOutcome, StoreError>) -> Void) {
        identities.signIn(claims, completion: timed(.signIn, completion))
    }

    func link(
        _ claims: IdentityClaims, to userID: String, completion: @escaping (Result<UserRecord, StoreError>) -> Void
    ) {
        identities.link(claims, to: userID, completion: timed(.link, completion))
    }

    func unlink(
        provider: String, subject: String, from userID: String,
        completion: @escaping (Result<UserRecord, StoreError>) -> Void
    ) {
        identities.unlink(provider: provider, subject: subject, from: userID, completion: timed(.unlink, completion))
    }

    func user(_ id: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void) {
        identities.user(id, completion: timed(.user, completion))
    }
}
