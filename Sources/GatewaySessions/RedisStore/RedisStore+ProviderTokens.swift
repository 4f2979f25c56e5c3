// The Redis store's side of token refresh: leases shared by every instance on this Redis.

extension RedisStore: ProviderTokenStore {
    private func leaseKey(_ id: SessionID) -> String { keyPrefix + "session_refresh:" + id.value }

    /// `SET {p}session_refresh:{id} owner NX PX ms`: OK when taken, nil when someone holds it.
    public func acquireRefreshLease(
        _ id: SessionID, owner: String, milliseconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        connection.send(["SET", leaseKey(id), owner, "NX", "PX", String(max(milliseconds, 1))]) { result in
            switch result {
            case .success(.status): completion(.success(true))
            case .success(.null): completion(.success(false))
            case .success(let other): completion(.failure(Self.unexpected(other)))
            case .failure(let error): completion(.failure(Self.storeError(error)))
            }
        }
    }

    public func renewRefreshLease(
        _ id: SessionID, owner: String, milliseconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        run(.renewLease, keys: [leaseKey(id)], [id.value, owner, String(max(milliseconds, 1))]) { result in
            completion(Self.flag(result))
        }
    }

    public func releaseRefreshLease(
        _ id: SessionID, owner: String, completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        run(.releaseLease, keys: [leaseKey(id)], [id.value, owner]) { result in
            completion(Self.flag(result).map { _ in () })
        }
    }

    public func updateIfTokensUnchanged(
        _ id: SessionID, _ record: SessionRecord, expectedTokens: String?, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        guard ttlSeconds > 0 else {
            delete(id) { completion($0.map { false }) }
            return
        }
        let json = String(decoding: record.encodedJSON(), as: UTF8.self)
        run(.updateIfTokens, keys: [sessionKeyText(id)], [id.value, expectedTokens ?? "", json, String(ttlSeconds)]) {
            result in
            completion(Self.flag(result))
        }
    }

    /// A script's 0/1 answer.
    private static func flag(_ result: Result<RedisValue, StoreError>) -> Result<Bool, StoreError> {
        switch result {
        case .success(.integer(let n)): return .success(n == 1)
        case .success(let other): return .failure(unexpected(other))
        case .failure(let error): return .failure(error)
        }
    }
}
