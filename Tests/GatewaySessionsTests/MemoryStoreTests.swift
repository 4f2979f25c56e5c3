// What only the memory store does: a bound on sessions, evicting the soonest-expiring.
import GatewaySessions
import XCTest

final class MemoryStoreTests: XCTestCase {
    private func record(_ user: String) -> SessionRecord {
        let now = Int64(Date().timeIntervalSince1970)
        return SessionRecord(
            userID: user, provider: "github", subject: user, identities: [], createdAt: now, expiresAt: now + 3600,
            lastSeenAt: now)
    }

    private func load(_ store: MemoryStore, _ id: SessionID) -> SessionRecord? {
        var loaded: SessionRecord?
        store.load(id) { loaded = try? $0.get() }  // synchronous by contract
        return loaded
    }

    func testEvictsTheSoonestExpiringSessionWhenFull() {
        let store = MemoryStore(maxSessions: 3)
        let ids = (0..<4).map { _ in SessionID.generate() }
        for (id, ttl) in zip(ids, [300, 100, 200, 400]) {
            store.save(id, record("\(ttl)"), ttlSeconds: ttl) { _ in }
        }
        XCTAssertEqual(store.sessionCount, 3)
        XCTAssertNil(load(store, ids[1]), "the 100 s session expires first, so it goes")
        XCTAssertEqual([0, 2, 3].map { load(store, ids[$0])?.userID }, ["300", "200", "400"])
    }

    func testResavingTheSameSessionsStaysBounded() {
        let store = MemoryStore(maxSessions: 10)
        let ids = (0..<10).map { _ in SessionID.generate() }
        for round in 0..<2000 {
            let id = ids[round % ids.count]
            store.save(id, record("r\(round)"), ttlSeconds: 60 + round) { _ in }
        }
        XCTAssertEqual(store.sessionCount, 10, "sliding re-saves must not evict live sessions")
        for id in ids { XCTAssertNotNil(load(store, id)) }
    }

    func testSaveWithoutTTLDeletes() {
        let store = MemoryStore()
        let id = SessionID.generate()
        store.save(id, record("a"), ttlSeconds: 60) { _ in }
        store.save(id, record("a"), ttlSeconds: 0) { _ in }
        XCTAssertNil(load(store, id))
    }
}
