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
    /// Replaces the session only if it still exists, with a new TTL: the sliding idle write.
    /// A session deleted in the meantime (signed out, unlinked) stays deleted. True when it
    /// was there; `ttlSeconds <= 0` deletes it.
    func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void)
    /// Deletes every session of `userID` that was signed in with `provider:subject` (the
    /// record's own fields when saved), e.g. when that identity is unlinked. Answers how many
    /// were deleted (Redis may count ones already past their end).
    func deleteSessions(
        userID: String, provider: String, subject: String, completion: @escaping (Result<Int, StoreError>) -> Void)
    /// Every live session of `userID` (past neither its TTL nor `expiresAt`), oldest first.
    func sessions(ofUser userID: String, completion: @escaping (Result<[StoredSession], StoreError>) -> Void)
    /// Deletes those of `ids` that are sessions of `userID`; any other id is left alone, so a
    /// user can only ever end their own sessions. Answers how many were deleted.
    func deleteSessions(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void)
    /// Deletes every session saved with this provider and `sid` (back-channel logout), on every
    /// instance sharing the store. Answers how many were deleted.
    func deleteSessions(provider: String, sid: String, completion: @escaping (Result<Int, StoreError>) -> Void)
    /// Records `key` for `ttlSeconds`: true the first time, false while it is still recorded
    /// (a logout token's `jti` is taken once). Shared by every instance of the store.
    func claimOnce(_ key: String, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void)
}

/// Which sessions `deleteSessions` finds: the user and the identity they signed in with.
struct SessionOwner: Hashable, Sendable {
    var userID: String
    var provider: String
    var subject: String

    init(userID: String, provider: String, subject: String) {
        (self.userID, self.provider, self.subject) = (userID, provider, subject)
    }

    init(_ record: SessionRecord) {
        self.init(userID: record.userID, provider: record.provider, subject: record.subject)
    }
}
