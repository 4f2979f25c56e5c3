// Sessions, users and identities in Redis, over one pipelined connection per event loop.
import GatewayCore

/// Both stores over one `RedisClient` (a node, or a cluster); the integrator makes one per loop.
///
/// Sessions are `{prefix}session:{id}`: one string of compact JSON with a Redis TTL, so a
/// load is one `GET`. Users and identities follow the layout in `RedisScript.swift` and change
/// only through Lua scripts, which Redis runs atomically.
///
/// Thread-safety: `@unchecked Sendable`; call it, and it completes, only on the
/// connection's queue, which is also the only place its script cache is touched.
/// A Redis outage (down, reconnecting, timed out) surfaces as `StoreError.unavailable`.
public final class RedisStore: SessionStore, IdentityStore, @unchecked Sendable {
    public let connection: any RedisClient
    /// Put in front of every key; "" in production, a unique one per test run.
    public let keyPrefix: String
    /// In front of the identity graph's keys (users, identities, emails, session indexes):
    /// `keyPrefix` on one node; on a cluster `keyPrefix` + `{users}`, one hash tag, so that
    /// each identity script's keys share a slot (RedisStore+Cluster.swift).
    public let graphPrefix: String
    /// Stamps new users and identities; Redis itself expires sessions by TTL.
    let clock: WallClock
    /// SHA-1 of each script as the server reported it, once loaded on this connection.
    var scriptHashes: [RedisScript: String] = [:]
    var scriptLoadsInFlight: Set<RedisScript> = []
    /// The last decoded value of recently loaded sessions. Every load still asks Redis (which
    /// stays the only truth); when the bytes it returns are the ones seen last time, their
    /// decoding is reused instead of parsing the JSON again.
    private var decoded: [SessionID: Decoded] = [:]
    /// A class, so that a load carries it to its reply with one retain and one lookup.
    private final class Decoded {
        let raw: [UInt8]
        let record: SessionRecord
        init(raw: [UInt8], record: SessionRecord) {
            self.raw = raw
            self.record = record
        }
    }
    private static let decodedLimit = 10_000

    public init(connection: any RedisClient, keyPrefix: String = "", clock: WallClock = SystemClock()) {
        self.connection = connection
        self.keyPrefix = keyPrefix
        self.graphPrefix = connection.isCluster ? keyPrefix + Self.graphTag : keyPrefix
        self.clock = clock
    }

    private func sessionKey(_ id: SessionID) -> [UInt8] { Array((keyPrefix + id.storageKey).utf8) }

    // MARK: SessionStore

    public func load(_ id: SessionID, completion: @escaping (Result<SessionRecord?, StoreError>) -> Void) {
        // The bytes decoded last time go along: when Redis returns them again, the reply is
        // that very array (no copy) and the comparison below finds it at once.
        let known = decoded[id]
        connection.send([Self.get, sessionKey(id)], reusing: known?.raw) { result in
            switch result {
            case .success(.null):
                completion(.success(nil))
            case .success(.string(let json)):
                let record: SessionRecord
                if let known, known.raw.sameBytes(as: json) {
                    record = known.record
                } else {
                    guard let parsed = SessionRecord(json: json) else {
                        completion(.failure(StoreError.corrupt.with(detail: "session is not a valid record")))
                        return
                    }
                    if self.decoded.count >= Self.decodedLimit { self.decoded.removeAll(keepingCapacity: true) }
                    self.decoded[id] = Decoded(raw: json, record: parsed)
                    record = parsed
                }
                completion(.success(record.expiresAt > self.clock.unixSeconds() ? record : nil))
            case .success(let other):
                completion(.failure(Self.unexpected(other)))
            case .failure(let error):
                completion(.failure(Self.storeError(error)))
            }
        }
    }

    public func save(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Void, StoreError>) -> Void
    ) {
        guard ttlSeconds > 0 else {
            delete(id, completion: completion)
            return
        }
        // The owner index goes with it (RedisScript+Sessions.swift). Only sign-in saves, so a
        // script here costs nothing on the request path; touches use `update`.
        let indexTTL = max(Int64(ttlSeconds), record.expiresAt - clock.unixSeconds(), 1)
        let args = [
            id.value, String(decoding: record.encodedJSON(), as: UTF8.self), String(ttlSeconds),
            Self.ownerKey(SessionOwner(record)), String(indexTTL), record.userID,
            record.sid.map { record.provider + ":" + $0 } ?? "",
        ]
        if connection.isCluster { return saveAcrossSlots(id, record, ttlSeconds: ttlSeconds, args, completion) }
        run(.saveSession, keys: [keyPrefix + id.storageKey], args) { result in
            switch result {
            case .success(.integer): completion(.success(()))
            case .success(let other): completion(.failure(Self.unexpected(other)))
            case .failure(let error): completion(.failure(error))
            }
        }
    }

    /// `SET ... XX`: writes only over a session that is still there.
    public func update(
        _ id: SessionID, _ record: SessionRecord, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void
    ) {
        guard ttlSeconds > 0 else {
            delete(id) { completion($0.map { false }) }
            return
        }
        let args = [Self.set, sessionKey(id), record.encodedJSON(), Self.xx, Self.ex, Array(String(ttlSeconds).utf8)]
        connection.send(args) { result in completion(Self.setOutcome(result)) }
        announce(id)
    }

    /// The channel on which every write that ends or changes a session names it, so that each
    /// instance's session cache drops its copy (`SessionInvalidation`). Pub/sub channels are
    /// not per database: the key prefix keeps test runs apart, and ids never collide.
    public var invalidationChannel: [UInt8] { Array((keyPrefix + "session_events").utf8) }

    /// PUBLISH the id, pipelined behind the write; its answer (how many listened) is not needed.
    private func announce(_ id: SessionID) {
        connection.send([Self.publish, invalidationChannel, Array(id.value.utf8)]) { _ in }
    }

    /// A conditional `SET` (XX or NX): OK when it wrote, nil when the condition stopped it.
    static func setOutcome(_ result: Result<RedisValue, RedisError>) -> Result<Bool, StoreError> {
        switch result {
        case .success(.status): .success(true)
        case .success(.null): .success(false)
        case .success(let other): .failure(unexpected(other))
        case .failure(let error): .failure(storeError(error))
        }
    }

    public func deleteSessions(
        userID: String, provider: String, subject: String, completion: @escaping (Result<Int, StoreError>) -> Void
    ) {
        let owner = SessionOwner(userID: userID, provider: provider, subject: subject)
        deleteIndexed("identity_sessions:" + Self.ownerKey(owner), completion: completion)
    }

    /// Deletes the sessions listed in the set `{prefix}{index}`, and the set.
    func deleteIndexed(_ index: String, completion: @escaping (Result<Int, StoreError>) -> Void) {
        if connection.isCluster { return deleteIndexedAcrossSlots(index, completion: completion) }
        run(.deleteSessions, keys: [graphPrefix + index], [index]) { result in
            switch result {
            case .success(.integer(let n)): completion(.success(Int(n)))
            case .success(let other): completion(.failure(Self.unexpected(other)))
            case .failure(let error): completion(.failure(error))
            }
        }
    }

    /// `uid:provider:subject`: unambiguous because only the subject may hold ':'.
    static func ownerKey(_ owner: SessionOwner) -> String {
        owner.userID + ":" + owner.provider + ":" + owner.subject
    }

    func sessionKeyText(_ id: SessionID) -> String { keyPrefix + id.storageKey }

    func forgetDecoded(_ id: SessionID) { decoded.removeValue(forKey: id) }

    public func delete(_ id: SessionID, completion: @escaping (Result<Void, StoreError>) -> Void) {
        forgetDecoded(id)
        connection.send([Self.del, sessionKey(id)]) { result in
            switch result {
            case .success(.integer): completion(.success(()))
            case .success(let other): completion(.failure(Self.unexpected(other)))
            case .failure(let error): completion(.failure(Self.storeError(error)))
            }
        }
        announce(id)
    }

    // MARK: Scripts

    /// Runs `script` with EVALSHA once its hash is known on this connection. Until then it
    /// sends SCRIPT LOAD (once) pipelined before EVAL; a NOSCRIPT answer (the server restarted
    /// or flushed its scripts, or on a cluster: this node has not seen it yet) falls back to
    /// EVAL, which caches the script there. `keys` (KEYS) are the keys the script is declared
    /// to touch, which a cluster routes by; ARGV[1] is `prefix` (default `keyPrefix`).
    func run(
        _ script: RedisScript, keys: [String], _ args: [String], prefix: String? = nil,
        completion: @escaping (Result<RedisValue, StoreError>) -> Void
    ) {
        let argv = [String(keys.count)] + keys + [prefix ?? keyPrefix] + args
        if let hash = scriptHashes[script] {
            connection.send(["EVALSHA", hash] + argv) { [self] result in
                if case .failure(let error) = result, error.replyMessage?.hasPrefix("NOSCRIPT") == true {
                    eval(script, argv, completion: completion)
                } else {
                    completion(result.mapError(Self.storeError))
                }
            }
            return
        }
        if !scriptLoadsInFlight.contains(script) && connection.isConnected {
            scriptLoadsInFlight.insert(script)
            connection.send(["SCRIPT", "LOAD", script.source]) { [self] result in
                scriptLoadsInFlight.remove(script)
                if case .success(let value) = result, let hash = value.text ?? value.statusText {
                    scriptHashes[script] = hash
                }
            }
        }
        eval(script, argv, completion: completion)
    }

    private func eval(
        _ script: RedisScript, _ argv: [String], completion: @escaping (Result<RedisValue, StoreError>) -> Void
    ) {
        connection.send(["EVAL", script.source] + argv) { result in
            completion(result.mapError(Self.storeError))
        }
    }

    // MARK: Errors

    /// Outages are `.unavailable`; a key of the wrong type is `.corrupt`.
    static func storeError(_ error: RedisError) -> StoreError {
        if let message = error.replyMessage, message.hasPrefix("WRONGTYPE") {
            return StoreError.corrupt.with(detail: message)
        }
        return StoreError.unavailable.with(detail: error.description)
    }

    static func unexpected(_ value: RedisValue) -> StoreError {
        StoreError.corrupt.with(detail: "unexpected redis reply \(value)")
    }

    static let graphTag = "{users}"
    static let get = Array("GET".utf8)
    static let publish = Array("PUBLISH".utf8)
    static let set = Array("SET".utf8)
    static let del = Array("DEL".utf8)
    static let ex = Array("EX".utf8)
    private static let xx = Array("XX".utf8)
}

extension RedisValue {
    var statusText: String? {
        if case .status(let text) = self { return text }
        return nil
    }
}
