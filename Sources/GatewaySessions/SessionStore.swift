// Where sessions live: `session:{id}` with a TTL, in memory or in Redis.

/// Session storage. `MemoryStore` runs completions synchronously on the caller's thread;
/// `RedisStore` runs them on its connection's queue (and must be called there).
public protocol SessionStore: AnyObject, Sendable {
    /// One round trip. Nil when the session is missing, past its TTL, or past `expiresAt`.
    func load(_ id: SessionID, completion: @escaping (Result<SessionRecord?, StoreError>) -> Void)
    /// Creates or replaces the session; it disappears after `ttlSeconds` (<= 0 deletes it).
    func save(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Void, StoreError>) -> Void)
    /// Succeeds whether or not the session existed.
    func delete(_ id: SessionID, completion: @escaping (Result<Void, StoreError>) -> Void)
}
