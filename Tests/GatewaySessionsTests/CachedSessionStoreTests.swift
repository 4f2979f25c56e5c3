// CachedSessionStore over a real store (the memory store): hits, what evicts, what is never
// cached, and a channel that is down serving nothing from memory.
import GatewayCore
import XCTest

@testable import GatewaySessions

final class CachedSessionStoreTests: XCTestCase {
    private let clock = ManualClock(unixSeconds: 1_700_000_000)
    private lazy var inner = MemoryStore(clock: clock)
    private lazy var cached = CachedSessionStore(inner, ttl: .seconds(5), idleTimeout: .seconds(120), clock: clock)

    private func record(_ user: String = "u_1", tokens: String? = nil) -> SessionRecord {
        var record = SessionRecord(
            userID: user, provider: "github", subject: "s-" + user, identities: ["github:s-" + user],
            createdAt: clock.unixSeconds(), expiresAt: clock.unixSeconds() + 3600, lastSeenAt: clock.unixSeconds())
        record.sealedTokens = tokens
        return record
    }

    private func load(_ id: SessionID) -> SessionRecord? {
        var answer: SessionRecord??
        cached.load(id) { answer = try? $0.get() }
        return answer ?? nil
    }

    private func save(_ id: SessionID, _ record: SessionRecord) {
        inner.save(id, record, ttlSeconds: 3600) { _ in }
    }

    func testASessionReadOnceIsServedFromMemoryUntilItsTTL() {
        cached.channelUp(true)
        let id = SessionID.generate()
        save(id, record())
        XCTAssertEqual(load(id)?.userID, "u_1")
        XCTAssertEqual([cached.hits, cached.misses], [0, 1])
        // Changed behind its back (as another instance that missed nothing would not do): the
        // cache answers until its TTL, then reads again.
        save(id, record("u_2"))
        XCTAssertEqual(load(id)?.userID, "u_1")
        XCTAssertEqual(cached.hits, 1)
        clock.advance(seconds: 5)
        XCTAssertEqual(load(id)?.userID, "u_2")
        XCTAssertEqual(cached.misses, 2)
    }

    /// The gate's fast path asks `immediateRecord`: only a usable hit is an answer; a miss, a
    /// channel that is down, or a cached record past its idle end is nil (and the last is evicted).
    func testImmediateRecordIsOnlyAUsableHit() {
        let id = SessionID.generate()
        save(id, record())
        XCTAssertNil(cached.immediateRecord(id), "not read yet")
        _ = load(id)
        XCTAssertNil(cached.immediateRecord(id), "the channel is down: nothing was cached")
        cached.channelUp(true)
        XCTAssertNil(cached.immediateRecord(id))
        _ = load(id)
        XCTAssertEqual(cached.immediateRecord(id)?.userID, "u_1")
        XCTAssertEqual(cached.hits, 1)
        // Within the cache's TTL, but past the session's idle end: not an answer, and evicted.
        let idle = SessionID.generate()
        var stale = record("u_2")
        stale.lastSeenAt -= 119
        save(idle, stale)
        _ = load(idle)
        XCTAssertEqual(cached.count, 2)
        clock.advance(seconds: 2)
        XCTAssertNil(cached.immediateRecord(idle))
        XCTAssertEqual(cached.count, 1)
    }

    func testAnInvalidationOrADeleteEvictsAtOnce() {
        cached.channelUp(true)
        let id = SessionID.generate()
        save(id, record())
        _ = load(id)
        inner.delete(id) { _ in }  // another instance signed it out...
        cached.invalidate(id)  // ...and its message arrived
        XCTAssertNil(load(id))
        let other = SessionID.generate()
        save(other, record())
        _ = load(other)
        cached.delete(other) { _ in }
        XCTAssertNil(load(other))
        // The unlink path: every session of that identity.
        let third = SessionID.generate()
        save(third, record("u_3"))
        _ = load(third)
        cached.deleteSessions(userID: "u_3", provider: "github", subject: "s-u_3") { _ in }
        XCTAssertNil(load(third))
    }

    func testNothingIsServedFromMemoryWhileTheChannelIsDown() {
        let id = SessionID.generate()
        save(id, record())
        _ = load(id)
        _ = load(id)
        XCTAssertEqual(cached.hits, 0, "the channel never came up")
        cached.channelUp(true)
        _ = load(id)
        _ = load(id)
        XCTAssertEqual(cached.hits, 1)
        cached.channelUp(false)
        XCTAssertEqual(cached.count, 0)
        _ = load(id)
        XCTAssertEqual(cached.hits, 1)
    }

    func testSessionsWithProviderTokensAreNeverCached() {
        cached.channelUp(true)
        let id = SessionID.generate()
        save(id, record(tokens: "sealed"))
        _ = load(id)
        _ = load(id)
        XCTAssertEqual([cached.hits, cached.misses], [0, 2])
    }

    func testAnEntryIsNotUsedPastTheSessionsIdleEnd() {
        cached.channelUp(true)
        let id = SessionID.generate()
        var old = record()
        old.lastSeenAt = clock.unixSeconds() - 118  // idle for almost the whole 120 s timeout
        save(id, old)
        XCTAssertNotNil(load(id))
        clock.advance(seconds: 2)
        // The cache's own TTL (5 s) has not run out, but Redis's idle TTL has: read again.
        _ = load(id)
        XCTAssertEqual(cached.hits, 0)
    }

    func testOwnWritesAreKept() {
        cached.channelUp(true)
        let id = SessionID.generate()
        cached.save(id, record(), ttlSeconds: 3600) { _ in }
        XCTAssertEqual(load(id)?.userID, "u_1")
        var touched = record()
        touched.lastSeenAt += 60
        cached.update(id, touched, ttlSeconds: 3600) { _ in }
        XCTAssertEqual(load(id)?.lastSeenAt, touched.lastSeenAt)
        XCTAssertEqual(cached.misses, 0)
    }
}
