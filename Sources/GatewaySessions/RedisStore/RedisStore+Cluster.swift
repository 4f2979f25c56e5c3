// The session writes that touch a session and its indexes, on Redis Cluster: one single-slot
// step per slot, in an order that never leaves a session its indexes do not list.
//
// Why split rather than co-locate: a request finds its session by the id in its cookie
// alone, so session keys cannot carry the user's hash tag; and the indexes must sit with the
// identity graph (`{users}`) that unlink and logout reach them from. What is lost is only the
// atomicity between the two halves, and each order below makes the gap harmless:
// - save: the indexes first, then the session. A failure in between leaves an id in an index
//   whose session never came (deleting or listing a missing session is a no-op).
// - delete by index: the index is emptied atomically, then each session is deleted (and
//   announced) on its own slot. A session saved in between is indexed afresh, as it would be
//   after the atomic script had run.
// - list: the index, then each session; ids found gone are dropped from the index.
// - delete by id: each session is checked against its owner and deleted atomically on its own
//   slot (deleteOwnedSession), then dropped from the user's index.

extension RedisStore {
    /// `args` as `saveSession` takes them: id, JSON, TTL, owner, index TTL, user id, sid.
    func saveAcrossSlots(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int, _ args: [String],
        _ completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        let indexArgs = [args[0], args[3], args[4], args[5], args[6]]
        run(.indexSession, keys: [userIndex(record.userID)], indexArgs, prefix: graphPrefix) { [self] result in
            guard case .success(.integer) = result else {
                return completion(.failure(Self.failure(result)))
            }
            let write = [
                Self.set, Array(sessionKeyText(id).utf8), record.encodedJSON(), Self.ex, Array(String(ttlSeconds).utf8),
            ]
            connection.send(write) { result in
                completion(Self.setOutcome(result).map { _ in () })
            }
        }
    }

    func deleteIndexedAcrossSlots(_ index: String, completion: @escaping (Result<Int, StoreError>) -> Void) {
        run(.takeIndex, keys: [graphPrefix + index], [index], prefix: graphPrefix) { [self] result in
            guard case .success(.array(let items)) = result else { return completion(.failure(Self.failure(result))) }
            let ids = items.compactMap { $0.text.flatMap(SessionID.init) }
            gather(ids, completion: completion) { [self] id, done in
                forgetDecoded(id)
                connection.send([Self.del, Array(sessionKeyText(id).utf8)]) { [self] result in
                    if case .success(.integer(let n)) = result, n == 1 {
                        connection.send([Self.publish, invalidationChannel, Array(id.value.utf8)]) { _ in }
                    }
                    done(result.mapError(Self.storeError).map { if case .integer(let n) = $0 { n } else { 0 } })
                }
            }
        }
    }

    /// The reply `userSessions` gives: id, JSON, id, JSON, ...
    func listAcrossSlots(_ userID: String, completion: @escaping (Result<RedisValue, StoreError>) -> Void) {
        let index = "user_sessions:" + userID
        run(.listIndex, keys: [userIndex(userID)], [index], prefix: graphPrefix) { [self] result in
            guard case .success(.array(let items)) = result else { return completion(result) }
            let ids = items.compactMap { $0.text.flatMap(SessionID.init) }
            var found: [SessionID: [UInt8]] = [:]
            var gone: [String] = []
            gather(
                ids,
                completion: { [self] (outcome: Result<Int, StoreError>) in
                    if case .failure(let error) = outcome { return completion(.failure(error)) }
                    if !gone.isEmpty {
                        run(.listIndex, keys: [userIndex(userID)], [index] + gone, prefix: graphPrefix) { _ in }
                    }
                    completion(
                        .success(
                            .array(
                                ids.flatMap { id in
                                    found[id].map { [RedisValue.string(Array(id.value.utf8)), .string($0)] } ?? []
                                })))
                }
            ) { [self] id, done in
                connection.send([Self.get, Array(sessionKeyText(id).utf8)]) { result in
                    switch result {
                    case .success(.string(let json)): found[id] = json
                    case .success(.null): gone.append(id.value)
                    default: break
                    }
                    done(result.mapError(Self.storeError).map { _ in 0 })
                }
            }
        }
    }

    func deleteOwnedAcrossSlots(
        _ ids: [SessionID], ofUser userID: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        var unlisted: [String] = []
        gather(
            ids,
            completion: { [self] (outcome: Result<Int, StoreError>) in
                if !unlisted.isEmpty {
                    let index = "user_sessions:" + userID
                    run(.listIndex, keys: [userIndex(userID)], [index] + unlisted, prefix: graphPrefix) { _ in }
                }
                completion(outcome)
            }
        ) { [self] id, done in
            run(.deleteOwnedSession, keys: [sessionKeyText(id)], [id.value, userID]) { result in
                guard case .success(.integer(let n)) = result else { return done(.failure(Self.failure(result))) }
                if n >= 0 { unlisted.append(id.value) }
                done(.success(max(n, 0)))
            }
        }
    }

    private func userIndex(_ userID: String) -> String { graphPrefix + "user_sessions:" + userID }

    /// Runs `step` for every id at once (pipelined, each to its slot's node) and completes
    /// with the sum of their counts, or the first failure, once all have answered.
    private func gather(
        _ ids: [SessionID], completion: @escaping (Result<Int, StoreError>) -> Void,
        step: (SessionID, @escaping (Result<Int, StoreError>) -> Void) -> Void
    ) {
        guard !ids.isEmpty else { return completion(.success(0)) }
        var remaining = ids.count
        var total = 0
        var failure: StoreError?
        for id in ids {
            step(id) { result in
                switch result {
                case .success(let n): total += n
                case .failure(let error): failure = failure ?? error
                }
                remaining -= 1
                if remaining == 0 { completion(failure.map { .failure($0) } ?? .success(total)) }
            }
        }
    }

    private static func failure(_ result: Result<RedisValue, StoreError>) -> StoreError {
        switch result {
        case .failure(let error): error
        case .success(let other): unexpected(other)
        }
    }
}
