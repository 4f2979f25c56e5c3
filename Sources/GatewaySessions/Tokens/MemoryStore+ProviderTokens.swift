// The memory store's side of token refresh: in-process leases and the guarded write.

extension MemoryStore: ProviderTokenStore {
    public func acquireRefreshLease(
        _ id: SessionID, owner: String, milliseconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        let now = clock.monotonicMilliseconds()
        let taken = refreshLeases.withLock { $0.acquire(id, owner: owner, milliseconds: milliseconds, now: now) }
        completion(.success(taken))
    }

    public func renewRefreshLease(
        _ id: SessionID, owner: String, milliseconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        let now = clock.monotonicMilliseconds()
        let renewed = refreshLeases.withLock { $0.renew(id, owner: owner, milliseconds: milliseconds, now: now) }
        completion(.success(renewed))
    }

    public func releaseRefreshLease(
        _ id: SessionID, owner: String, completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        refreshLeases.withLock { $0.release(id, owner: owner) }
        completion(.success(()))
    }

    public func updateIfTokensUnchanged(
        _ id: SessionID, _ record: SessionRecord, expectedTokens: String?, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        let (ms, s) = (clock.monotonicMilliseconds(), clock.unixSeconds())
        let updated = sessions.withLock { table in
            guard table.load(id, nowMilliseconds: ms, nowSeconds: s)?.sealedTokens == expectedTokens else {
                return false
            }
            return table.update(id, record, ttlSeconds: ttlSeconds, nowMilliseconds: ms, nowSeconds: s)
        }
        completion(.success(updated))
    }
}
