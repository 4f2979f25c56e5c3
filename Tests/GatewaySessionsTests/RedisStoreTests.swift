// What only the Redis store has to prove, on a private redis-server: the key layout, one GET
// per authenticated request, the EVAL fallback, the user index's pruning, and outages as `.unavailable`.
import Dispatch
import Foundation
import GatewaySessions
import XCTest

final class RedisStoreTests: XCTestCase {
    private var fixture: RedisStoreFixture!
    private var loop: StoreLoop { fixture.loops[0] }
    private var redis: RedisConnection { fixture.connections[0] }

    override func setUpWithError() throws {
        fixture = try RedisStoreFixture(loops: 1, ownServer: true)
    }

    override func tearDown() {
        fixture?.tearDown()
        fixture = nil
    }

    private func send(_ args: [String]) -> RedisValue? {
        let redis = self.redis
        let result: Result<RedisValue, RedisError>? = waitFor(on: redis.queue) { redis.send(args, completion: $0) }
        return result?.ok()
    }

    private func record(_ user: String) -> SessionRecord {
        let now = Int64(Date().timeIntervalSince1970)
        return SessionRecord(
            userID: user, provider: "github", subject: "1", identities: ["github:1"], createdAt: now,
            expiresAt: now + 600, lastSeenAt: now)
    }

    func testKeysFollowTheDesignLayout() {
        let p = fixture.prefix
        let claims = IdentityClaims(
            provider: "github", subject: "9", email: "Kay@Example.com", emailVerified: true, login: "kay", name: "Kay")
        guard let user = loop.signIn(claims)?.ok()?.user else { return XCTFail("sign-in failed") }
        XCTAssertEqual(send(["TYPE", p + "user:" + user.id]), .status("hash"))
        XCTAssertEqual(send(["HGET", p + "user:" + user.id, "email"])?.text, "Kay@Example.com")
        XCTAssertEqual(send(["HGET", p + "user:" + user.id, "name"])?.text, "Kay")
        XCTAssertEqual(send(["HGET", p + "user:" + user.id, "created_at"])?.text, String(user.createdAt))
        XCTAssertEqual(send(["GET", p + "identity:github:9"])?.text, user.id)
        XCTAssertEqual(
            send(["SMEMBERS", p + "user:" + user.id + ":identities"]), .array([.string(Array("github:9".utf8))]))
        XCTAssertEqual(send(["GET", p + "email:kay@example.com"])?.text, user.id)
        XCTAssertEqual(send(["HGET", p + "identity_info:github:9", "login"])?.text, "kay")
        XCTAssertEqual(send(["HGET", p + "identity_info:github:9", "email_verified"])?.text, "1")

        let id = SessionID.generate()
        loop.save(id, record(user.id), ttl: 120)
        XCTAssertEqual(send(["TYPE", p + id.storageKey]), .status("string"))
        guard case .integer(let ttl)? = send(["TTL", p + id.storageKey]) else { return XCTFail("no TTL") }
        XCTAssertTrue((118...120).contains(ttl))
        // The index that unlinking uses lives as long as the session could (its absolute end).
        let index = p + "identity_sessions:" + user.id + ":github:1"
        XCTAssertEqual(send(["SMEMBERS", index]), .array([.string(Array(id.value.utf8))]))
        guard case .integer(let indexTTL)? = send(["TTL", index]) else { return XCTFail("no index TTL") }
        XCTAssertTrue((598...600).contains(indexTTL), "\(indexTTL)")
        // So does the per-user index the account page lists sessions from.
        let users = p + "user_sessions:" + user.id
        XCTAssertEqual(send(["SMEMBERS", users]), .array([.string(Array(id.value.utf8))]))
        guard case .integer(let usersTTL)? = send(["TTL", users]) else { return XCTFail("no user index TTL") }
        XCTAssertTrue((598...600).contains(usersTTL), "\(usersTTL)")
        let stored = send(["GET", p + id.storageKey])?.text ?? ""
        XCTAssertEqual(try? JSONDecoder().decode(SessionRecord.self, from: Data(stored.utf8)), record(user.id))
    }

    func testListingPrunesTheIdsOfEndedSessionsFromTheUserIndex() {
        let (kept, ended) = (SessionID.generate(), SessionID.generate())
        loop.save(kept, record("u_prune"), ttl: 60)
        loop.save(ended, record("u_prune"), ttl: 60)
        XCTAssertEqual(send(["DEL", fixture.prefix + ended.storageKey]), .integer(1))  // as if its TTL ran out
        let index = fixture.prefix + "user_sessions:u_prune"
        XCTAssertEqual(send(["SCARD", index]), .integer(2), "an ended session stays indexed until a read")
        let listed: Result<[StoredSession], StoreError>? = loop.call { $0.sessions(ofUser: "u_prune", completion: $1) }
        XCTAssertEqual(listed?.ok()?.map(\.id), [kept])
        XCTAssertEqual(send(["SMEMBERS", index]), .array([.string(Array(kept.value.utf8))]), "pruned on read")
    }

    func testAnAuthenticatedRequestCostsOneGet() {
        let id = SessionID.generate()
        loop.save(id, record("u_one"), ttl: 60)
        XCTAssertEqual(send(["CONFIG", "RESETSTAT"]), .status("OK"))
        XCTAssertEqual(loop.load(id)?.ok()??.userID, "u_one")
        let stats = send(["INFO", "commandstats"])?.text ?? ""
        let commands = stats.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("cmdstat_") }
        let counted = commands.filter { !$0.hasPrefix("cmdstat_config") && !$0.hasPrefix("cmdstat_info") }
        XCTAssertEqual(counted.count, 1, "\(commands)")
        XCTAssertTrue(counted.first?.hasPrefix("cmdstat_get:calls=1,") == true, "\(commands)")
    }

    /// The store reuses the decoding of bytes it has seen, and only of exactly those bytes: a
    /// record rewritten behind its back (here one of the same length) is read anew.
    func testARecordChangedInRedisIsDecodedAgainEvenAtTheSameLength() {
        let id = SessionID.generate()
        loop.save(id, record("u_aaa"), ttl: 60)
        XCTAssertEqual(loop.load(id)?.ok()??.userID, "u_aaa")
        XCTAssertEqual(loop.load(id)?.ok()??.userID, "u_aaa", "the second load, from the reused decoding")
        let key = fixture.prefix + id.storageKey
        guard let json = send(["GET", key])?.text else { return XCTFail("no stored record") }
        let changed = json.replacingOccurrences(of: "u_aaa", with: "u_bbb")
        XCTAssertEqual(changed.utf8.count, json.utf8.count)
        XCTAssertEqual(send(["SET", key, changed, "KEEPTTL"]), .status("OK"))
        XCTAssertEqual(loop.load(id)?.ok()??.userID, "u_bbb")
        XCTAssertEqual(send(["DEL", key]), .integer(1))
        XCTAssertEqual(loop.load(id)?.ok(), .some(nil), "gone from Redis, gone")
    }

    func testScriptsSurviveAFlushedScriptCache() {
        XCTAssertNotNil(loop.signIn(IdentityClaims(provider: "github", subject: "s1"))?.ok())
        XCTAssertNotNil(loop.signIn(IdentityClaims(provider: "github", subject: "s2"))?.ok())
        XCTAssertTrue(
            send(["INFO", "commandstats"])?.text?.contains("cmdstat_evalsha:calls=1,") == true, "by hash now")
        XCTAssertEqual(send(["SCRIPT", "FLUSH"]), .status("OK"))
        guard case .existing? = loop.signIn(IdentityClaims(provider: "github", subject: "s1"))?.ok() else {
            return XCTFail("NOSCRIPT must fall back to EVAL")
        }
        XCTAssertNil(loop.user("u_none"))
    }

    func testUnreadableDataIsCorrupt() {
        let id = SessionID.generate()
        _ = send(["SET", fixture.prefix + id.storageKey, "{not json"])
        XCTAssertEqual(loop.load(id)?.failure, .corrupt)
        _ = send(["DEL", fixture.prefix + id.storageKey])
        _ = send(["LPUSH", fixture.prefix + id.storageKey, "x"])
        XCTAssertEqual(loop.load(id)?.failure, .corrupt, "WRONGTYPE")
    }

    func testAnOutageIsUnavailable() {
        fixture.server?.stop()
        let redis = self.redis
        eventually(on: redis.queue, "disconnected") { !redis.isConnected }
        let id = SessionID.generate()
        XCTAssertEqual(loop.load(id)?.failure, .unavailable)
        let session = record("u")
        let saved: Result<Void, StoreError>? = loop.call { $0.save(id, session, ttlSeconds: 60, completion: $1) }
        XCTAssertEqual(saved?.failure, .unavailable)
        XCTAssertEqual(loop.signIn(IdentityClaims(provider: "github", subject: "x"))?.failure, .unavailable)
        XCTAssertEqual(loop.unlink("github", "x", from: "u")?.failure, .unavailable)
    }
}
