// A loop's session store in front of Redis: recently loaded sessions answer from memory for a
// few seconds, and every instance's sign-outs evict them through Redis pub/sub.
import GatewayCore

/// Wraps the loop's `RedisStore` (as `SessionStore`). A load answers from the loop's
/// `SessionCache` when the session was read (or written) here less than `ttl` ago, and from
/// Redis otherwise. What it serves never outlives what Redis holds by more than the
/// invalidation's delivery:
/// - every write that ends or changes a session (sign-out, unlink, account page, back-channel
///   logout, the idle touch) publishes the session id on the store's channel, and each
///   instance's `SessionInvalidation` evicts it on every loop;
/// - while that channel is down, nothing is served from memory (`channelUp(false)` empties
///   the cache), and a load that began before an eviction does not put back what it read;
/// - an entry is never used past the record's own end (`expiresAt`) nor past its idle end
///   (`lastSeenAt` + `idleTimeout`: Redis's TTL as the last write here set it);
/// - sessions that carry provider tokens are never cached: a refresh on another instance
///   must be seen at once.
///
/// Thread-safety: `@unchecked Sendable`; one per loop, called and answered on its queue.
public final class CachedSessionStore: SessionStore, ImmediateSessionLookup, @unchecked Sendable {
    private let inner: SessionStore
    private var cache: SessionCache
    private let clock: WallClock
    private let idleTimeoutSeconds: Int64
    /// False until the invalidation channel is subscribed, and whenever it is lost.
    public private(set) var channelIsUp = false
    /// Loads answered from memory and from the store, for the tests and the benchmark.
    public private(set) var hits = 0
    public private(set) var misses = 0

    public init(
        _ inner: SessionStore, ttl: Duration, capacity: Int = 10_000, idleTimeout: Duration,
        clock: WallClock = SystemClock()
    ) {
        self.inner = inner
        let (seconds, attoseconds) = ttl.components
        cache = SessionCache(capacity: capacity, ttlNanos: UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        idleTimeoutSeconds = idleTimeout.components.seconds
        self.clock = clock
    }

    public var count: Int { cache.count }

    // MARK: Invalidation

    /// Another instance (or this one) ended or changed the session.
    public func invalidate(_ id: SessionID) { cache.evict(id) }

    /// The invalidation channel came up or went down: either way nothing cached so far can be
    /// trusted, and while it is down nothing is cached.
    public func channelUp(_ up: Bool) {
        cache.removeAll()
        channelIsUp = up
    }

    private func usable(_ record: SessionRecord, now: Int64) -> Bool {
        record.expiresAt > now && record.lastSeenAt + idleTimeoutSeconds > now
    }

    private func keep(_ id: SessionID, _ record: SessionRecord) {
        guard channelIsUp, record.sealedTokens == nil else { return cache.evict(id) }
        cache.store(id, record, now: clock.monotonicNanoseconds())
    }

    // MARK: SessionStore

    public func load(_ id: SessionID, completion: @escaping (Result<SessionRecord?, StoreError>) -> Void) {
        if let record = immediateRecord(id) { return completion(.success(record)) }
        misses += 1
        let serial = cache.beginLoad()
        inner.load(id) { [self] result in
            if case .success(let record?) = result, channelIsUp, record.sealedTokens == nil {
                cache.insert(id, record, now: clock.monotonicNanoseconds(), ifStillAt: serial)
            }
            completion(result)
        }
    }

    /// A hit that is still usable; a cached record past its end is evicted (and `load` asks
    /// the store).
    public func immediateRecord(_ id: SessionID) -> SessionRecord? {
        if channelIsUp, let record = cache.lookup(id, now: clock.monotonicNanoseconds()) {
            if usable(record, now: clock.unixSeconds()) {
                hits += 1
                return record
            }
            cache.evict(id)
        }
        return nil
    }

    public func save(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int, completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        cache.evict(id)
        inner.save(id, record, ttlSeconds: ttlSeconds) { [self] result in
            if case .success = result, ttlSeconds > 0 { keep(id, record) }
            completion(result)
        }
    }

    public func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        cache.evict(id)
        inner.update(id, record, ttlSeconds: ttlSeconds) { [self] result in
            if case .success(true) = result, ttlSeconds > 0 { keep(id, record) }
            completion(result)
        }
    }

    public func delete(_ id: SessionID, completion: @escaping (Result<Void, StoreError>) -> Void) {
        cache.evict(id)
        inner.delete(id, completion: completion)
    }

    public func deleteSessions(
        userID: String, provider: String, subject: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        cache.evict { $0.userID == userID && $0.provider == provider && $0.subject == subject }
        inner.deleteSessions(userID: userID, provider: provider, subject: subject, completion: completion)
    }

    public func sessions(ofUser userID: String, completion: @escaping (Result<[StoredSession], StoreError>) -> Void) {
        inner.sessions(ofUser: userID, completion: completion)
    }

    public func deleteSessions(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        for id in ids { cache.evict(id) }
        inner.deleteSessions(ids, ofUser: userID, completion: completion)
    }

    public func deleteSessions(provider: String, sid: String, completion: @escaping (Result<Int, StoreError>) -> Void) {
        cache.evict { $0.provider == provider && $0.sid == sid }
        inner.deleteSessions(provider: provider, sid: sid, completion: completion)
    }

    public func claimOnce(_ key: String, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void) {
        inner.claimOnce(key, ttlSeconds: ttlSeconds, completion: completion)
    }
}
