// The per-loop session cache as a value: TTL, least-recently-used eviction, stale loads refused.
import XCTest

@testable import GatewaySessions

final class SessionCacheTests: XCTestCase {
    private func record(_ user: String, provider: String = "github") -> SessionRecord {
        SessionRecord(
            userID: user, provider: provider, subject: "s-" + user, identities: ["\(provider):s-\(user)"],
            createdAt: 1, expiresAt: 2_000_000_000, lastSeenAt: 1)
    }

    private let ids = (0..<5).map { _ in SessionID.generate() }

    func testAnEntryIsServedUntilItsTTLAndThenDropped() {
        var cache = SessionCache(capacity: 4, ttlNanos: 5_000)
        cache.store(ids[0], record("u0"), now: 1_000)
        XCTAssertEqual(cache.lookup(ids[0], now: 5_999)?.userID, "u0")
        XCTAssertNil(cache.lookup(ids[0], now: 6_000))
        XCTAssertEqual(cache.count, 0)
        XCTAssertNil(cache.lookup(ids[1], now: 1_000))
    }

    func testTheLeastRecentlyUsedGoesFirstWhenFull() {
        var cache = SessionCache(capacity: 3, ttlNanos: .max)
        for i in 0..<3 { cache.store(ids[i], record("u\(i)"), now: 0) }
        XCTAssertNotNil(cache.lookup(ids[0], now: 0))  // 0 is now the most recent; 1 the least
        cache.store(ids[3], record("u3"), now: 0)
        XCTAssertNil(cache.lookup(ids[1], now: 0))
        XCTAssertEqual(cache.count, 3)
        for i in [0, 2, 3] { XCTAssertEqual(cache.lookup(ids[i], now: 0)?.userID, "u\(i)") }
        // Slots are reused after evictions, and the order keeps working.
        cache.evict(ids[2])
        cache.store(ids[4], record("u4"), now: 0)
        cache.store(ids[1], record("u1"), now: 0)
        XCTAssertNil(cache.lookup(ids[0], now: 0))
        XCTAssertEqual(Set([1, 3, 4].compactMap { cache.lookup(ids[$0], now: 0)?.userID }), ["u1", "u3", "u4"])
    }

    func testALoadThatStartedBeforeAnInvalidationIsNotKept() {
        var cache = SessionCache(capacity: 4, ttlNanos: .max)
        let serial = cache.beginLoad()
        cache.evict(ids[0])  // a sign-out arrived while Redis was answering
        cache.insert(ids[0], record("u0"), now: 0, ifStillAt: serial)
        XCTAssertNil(cache.lookup(ids[0], now: 0))
        let fresh = cache.beginLoad()
        cache.insert(ids[0], record("u0"), now: 0, ifStillAt: fresh)
        XCTAssertNotNil(cache.lookup(ids[0], now: 0))
    }

    func testEvictionByOwnerAndFlush() {
        var cache = SessionCache(capacity: 8, ttlNanos: .max)
        cache.store(ids[0], record("alice"), now: 0)
        cache.store(ids[1], record("alice", provider: "google"), now: 0)
        cache.store(ids[2], record("bob"), now: 0)
        cache.evict { $0.userID == "alice" && $0.provider == "github" }
        XCTAssertNil(cache.lookup(ids[0], now: 0))
        XCTAssertNotNil(cache.lookup(ids[1], now: 0))
        XCTAssertNotNil(cache.lookup(ids[2], now: 0))
        cache.removeAll()
        XCTAssertEqual(cache.count, 0)
        XCTAssertNil(cache.lookup(ids[2], now: 0))
        cache.store(ids[3], record("carol"), now: 0)
        XCTAssertEqual(cache.lookup(ids[3], now: 0)?.userID, "carol")
    }
}
