// The memory store's part in back-channel logout and bearer identities.

extension MemoryStore {
    public func deleteSessions(
        provider: String, sid: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        let count = sessions.withLock { $0.deleteSessions(provider: provider, sid: sid) }
        completion(.success(count))
    }

    public func claimOnce(_ key: String, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void) {
        let ms = clock.monotonicMilliseconds()
        let first = onceKeys.withLock { $0.claim(key, ttlSeconds: ttlSeconds, nowMilliseconds: ms) }
        completion(.success(first))
    }

    public func user(
        provider: String, subject: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void
    ) {
        let record = identities.withLock { table in
            table.owner(of: provider + ":" + subject).flatMap { table.record($0) }
        }
        completion(.success(record))
    }
}
