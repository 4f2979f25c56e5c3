// Sessions, users and identities in process memory: for a single gateway instance.
import GatewayCore
import Synchronization

/// Both stores in one object, shared by every event loop.
///
/// Thread-safety: `Sendable`; sessions and identities each sit behind a `Mutex`. Completions
/// run synchronously on the caller's thread, after the lock is released, so a completion may
/// call the store again.
///
/// Sessions expire by TTL and are bounded: when full, saving evicts the session that would
/// expire soonest. Nothing survives a restart.
public final class MemoryStore: SessionStore, IdentityStore, ImmediateSessionLookup {
    public static let defaultMaxSessions = 100_000

    let sessions: Mutex<MemorySessionTable>
    let identities = Mutex(MemoryIdentityTable())
    /// Token refresh leases (`MemoryStore+ProviderTokens.swift`), under their own lock.
    let refreshLeases = Mutex(MemoryLeaseTable())
    let onceKeys = Mutex(MemoryOnceTable())
    let clock: WallClock

    public init(maxSessions: Int = MemoryStore.defaultMaxSessions, clock: WallClock = SystemClock()) {
        sessions = Mutex(MemorySessionTable(capacity: maxSessions))
        self.clock = clock
    }

    /// Sessions held now, expired ones not yet dropped included.
    public var sessionCount: Int { sessions.withLock { $0.count } }

    // MARK: SessionStore

    public func load(_ id: SessionID, completion: @escaping (Result<SessionRecord?, StoreError>) -> Void) {
        completion(.success(immediateRecord(id)))
    }

    /// Every record is at hand: nil means missing or past its end, which `load` answers alike.
    public func immediateRecord(_ id: SessionID) -> SessionRecord? {
        let (ms, s) = (clock.monotonicMilliseconds(), clock.unixSeconds())
        return sessions.withLock { $0.load(id, nowMilliseconds: ms, nowSeconds: s) }
    }

    public func save(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        let ms = clock.monotonicMilliseconds()
        sessions.withLock { $0.save(id, record, ttlSeconds: ttlSeconds, nowMilliseconds: ms) }
        completion(.success(()))
    }

    public func delete(_ id: SessionID, completion: @escaping (Result<Void, StoreError>) -> Void) {
        sessions.withLock { $0.delete(id) }
        completion(.success(()))
    }

    public func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        let (ms, s) = (clock.monotonicMilliseconds(), clock.unixSeconds())
        let updated = sessions.withLock {
            $0.update(id, record, ttlSeconds: ttlSeconds, nowMilliseconds: ms, nowSeconds: s)
        }
        completion(.success(updated))
    }

    public func deleteSessions(
        userID: String, provider: String, subject: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        let owner = SessionOwner(userID: userID, provider: provider, subject: subject)
        let count = sessions.withLock { $0.deleteSessions(of: owner) }
        completion(.success(count))
    }

    public func sessions(ofUser userID: String, completion: @escaping (Result<[StoredSession], StoreError>) -> Void) {
        let (ms, s) = (clock.monotonicMilliseconds(), clock.unixSeconds())
        let found = sessions.withLock { $0.sessions(ofUser: userID, nowMilliseconds: ms, nowSeconds: s) }
        completion(.success(found))
    }

    public func deleteSessions(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        let count = sessions.withLock { $0.deleteSessions(ids, ofUser: userID) }
        completion(.success(count))
    }

    // MARK: IdentityStore

    public func signIn(_ claims: IdentityClaims, completion: @escaping (Result<SignInOutcome, StoreError>) -> Void) {
        let (now, newID) = (clock.unixSeconds(), UserRecord.newID())
        let outcome = identities.withLock { $0.signIn(claims, now: now, newID: newID) }
        completion(.success(outcome))
    }

    public func link(
        _ claims: IdentityClaims, to userID: String, completion: @escaping (Result<UserRecord, StoreError>) -> Void
    ) {
        let now = clock.unixSeconds()
        let result = identities.withLock { $0.link(claims, to: userID, now: now) }
        completion(result)
    }

    public func unlink(
        provider: String, subject: String, from userID: String,
        completion: @escaping (Result<UserRecord, StoreError>) -> Void
    ) {
        let result = identities.withLock { $0.unlink(provider: provider, subject: subject, from: userID) }
        completion(result)
    }

    public func user(_ id: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void) {
        let record = identities.withLock { $0.record(id) }
        completion(.success(record))
    }
}
