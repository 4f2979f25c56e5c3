// Sign-in attempts in Redis: `authstate:{state}` with a TTL, taken with GETDEL.
import Foundation

/// Thread-safety: one per loop, used only on that loop's queue (as its RedisConnection is).
public final class RedisAuthStateStore: AuthStateStore, @unchecked Sendable {
    private let redis: RedisConnection

    public init(redis: RedisConnection) {
        self.redis = redis
    }

    public func put(state: String, _ record: AuthStateRecord, completion: @escaping (Result<Void, StoreError>) -> Void) {
        guard let json = try? JSONEncoder().encode(record) else {
            completion(.failure(.corrupt))
            return
        }
        let args: [[UInt8]] = [
            Array("SET".utf8), Array(("authstate:" + state).utf8), Array(json), Array("EX".utf8),
            Array(String(AuthStateRecord.lifetimeSeconds).utf8),
        ]
        redis.send(args) { result in
            switch result {
            case .success(.status), .success(.string): completion(.success(()))
            case .success: completion(.failure(.corrupt))
            case .failure: completion(.failure(.unavailable))
            }
        }
    }

    public func take(state: String, completion: @escaping (Result<AuthStateRecord?, StoreError>) -> Void) {
        redis.send(["GETDEL", "authstate:" + state]) { result in
            switch result {
            case .success(.null): completion(.success(nil))
            case .success(.string(let bytes)):
                guard let record = try? JSONDecoder().decode(AuthStateRecord.self, from: Data(bytes)) else {
                    completion(.failure(.corrupt))
                    return
                }
                completion(.success(record))
            case .success: completion(.failure(.corrupt))
            case .failure: completion(.failure(.unavailable))
            }
        }
    }
}
