// The account page's half of `RedisStore`: a user's sessions, listed and ended by id.

extension RedisStore {
    public func sessions(ofUser userID: String, completion: @escaping (Result<[StoredSession], StoreError>) -> Void) {
        let list: (@escaping (Result<RedisValue, StoreError>) -> Void) -> Void = { [self] done in
            if connection.isCluster {
                listAcrossSlots(userID, completion: done)
            } else {
                run(.userSessions, keys: [graphPrefix + "user_sessions:" + userID], [userID], completion: done)
            }
        }
        list { [self] result in
            switch result {
            case .success(.array(let items)) where items.count % 2 == 0:
                let now = clock.unixSeconds()
                var found: [StoredSession] = []
                var i = 0
                while i < items.count {
                    defer { i += 2 }
                    // A malformed entry is skipped rather than failing the whole list.
                    guard let text = items[i].text, let id = SessionID(text), case .string(let json) = items[i + 1],
                        let record = SessionRecord(json: json), record.userID == userID, record.expiresAt > now
                    else { continue }
                    found.append(StoredSession(id: id, record: record))
                }
                completion(.success(found.sortedForListing()))
            case .success(let other): completion(.failure(Self.unexpected(other)))
            case .failure(let error): completion(.failure(error))
            }
        }
    }

    public func deleteSessions(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        guard !ids.isEmpty else { return completion(.success(0)) }
        for id in ids { forgetDecoded(id) }
        if connection.isCluster { return deleteOwnedAcrossSlots(ids, ofUser: userID, completion: completion) }
        run(.deleteUserSessions, keys: [graphPrefix + "user_sessions:" + userID], [userID] + ids.map(\.value)) {
            result in
            switch result {
            case .success(.integer(let n)): completion(.success(Int(n)))
            case .success(let other): completion(.failure(Self.unexpected(other)))
            case .failure(let error): completion(.failure(error))
            }
        }
    }
}
