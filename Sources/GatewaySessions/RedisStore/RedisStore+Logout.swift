// The Redis store's part in back-channel logout and bearer identities: each one round trip.

extension RedisStore {
    public func deleteSessions(
        provider: String, sid: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        deleteIndexed("sid_sessions:" + provider + ":" + sid, completion: completion)
    }

    /// `SET {p}once:{key} 1 NX EX ttl`: OK the first time, nil while the key stands.
    public func claimOnce(_ key: String, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void) {
        let args = ["SET", keyPrefix + "once:" + key, "1", "NX", "EX", String(max(ttlSeconds, 1))].map {
            Array($0.utf8)
        }
        connection.send(args) { result in completion(Self.setOutcome(result)) }
    }

    public func user(
        provider: String, subject: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void
    ) {
        graph(.userByIdentity, key: "identity:" + provider + ":" + subject, [provider + ":" + subject]) { result in
            switch result.flatMap(Self.parseUser) {
            case .success(let parsed): completion(.success(parsed.user))
            case .failure(let error) where error.isNotFound: completion(.success(nil))
            case .failure(let error): completion(.failure(error))
            }
        }
    }
}
