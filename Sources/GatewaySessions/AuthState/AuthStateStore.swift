// Single-use storage of sign-in attempts, keyed by their `state`.
import Foundation
import Synchronization

public protocol AuthStateStore: AnyObject, Sendable {
    func put(state: String, _ record: AuthStateRecord, completion: @escaping (Result<Void, StoreError>) -> Void)
    /// Returns the record and deletes it in one step, so a replayed callback finds nothing.
    func take(state: String, completion: @escaping (Result<AuthStateRecord?, StoreError>) -> Void)
}

/// For one instance. Completions run synchronously on the caller's thread.
/// Thread-safety: the state sits behind a mutex; every loop shares one instance.
public final class MemoryAuthStateStore: AuthStateStore {
    private let records = Mutex<[String: (AuthStateRecord, expires: Int64)]>([:])
    private let clock: @Sendable () -> Int64
    /// Attempts kept at once; the oldest are dropped past it (an unauthenticated client can start many).
    private let capacity: Int

    public init(capacity: Int = 100_000, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.capacity = capacity
        self.clock = clock
    }

    public func put(state: String, _ record: AuthStateRecord, completion: @escaping (Result<Void, StoreError>) -> Void) {
        let now = clock()
        records.withLock { all in
            if all.count >= capacity {
                all = all.filter { $0.value.expires > now }
                if all.count >= capacity, let oldest = all.min(by: { $0.value.expires < $1.value.expires }) {
                    all.removeValue(forKey: oldest.key)
                }
            }
            all[state] = (record, now + Int64(AuthStateRecord.lifetimeSeconds))
        }
        completion(.success(()))
    }

    public func take(state: String, completion: @escaping (Result<AuthStateRecord?, StoreError>) -> Void) {
        let now = clock()
        let found = records.withLock { $0.removeValue(forKey: state) }
        guard let found, found.expires > now else {
            completion(.success(nil))
            return
        }
        completion(.success(found.0))
    }
}
