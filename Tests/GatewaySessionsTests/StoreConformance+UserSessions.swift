// The conformance cases for the per-user session index: the account page's list and its
// "sign out this session" / "everywhere else".
import GatewaySessions
import XCTest

extension StoreConformance {
    private func session(_ user: String, createdAt: Int64, lifetime: Int64 = 3600) -> SessionRecord {
        var r = record(user: user, lifetime: lifetime)
        r.createdAt = createdAt
        r.clientAddress = "192.0.2.\(createdAt % 200)"
        r.sealedIDToken = "sealed-\(createdAt)"
        return r
    }

    private func list(_ loop: StoreLoop, _ user: String) -> [StoredSession]? {
        let result: Result<[StoredSession], StoreError>? = loop.call { $0.sessions(ofUser: user, completion: $1) }
        return result?.ok()
    }

    private func delete(_ loop: StoreLoop, _ ids: [SessionID], of user: String) -> Int? {
        let result: Result<Int, StoreError>? = loop.call { $0.deleteSessions(ids, ofUser: user, completion: $1) }
        return result?.ok()
    }

    func listsOnlyTheUsersLiveSessionsOldestFirst() {
        let user = "u_list\(Int.random(in: 0..<1_000_000))"
        let (older, newer, short, ended, other) = (
            SessionID.generate(), SessionID.generate(), SessionID.generate(), SessionID.generate(), SessionID.generate()
        )
        let base = record().createdAt
        b.save(newer, session(user, createdAt: base + 2), ttl: 60)
        a.save(older, session(user, createdAt: base - 5), ttl: 60)
        a.save(short, session(user, createdAt: base), ttl: 1)
        a.save(ended, session(user, createdAt: base - 9, lifetime: -1), ttl: 60)
        b.save(other, session("u_someone_else", createdAt: base), ttl: 60)
        XCTAssertEqual(list(b, user)?.map(\.id), [older, short, newer], "oldest first; past its end is not listed")
        XCTAssertEqual(list(a, user)?.first?.record, session(user, createdAt: base - 5), "the whole record comes back")
        XCTAssertTrue(
            expireAfter(2) { list(a, user)?.map(\.id) == [older, newer] }, "a session past its TTL drops out")
        XCTAssertEqual(list(a, "u_nobody"), [])
        XCTAssertNotNil(a.delete(older)?.ok())
        XCTAssertEqual(list(b, user)?.map(\.id), [newer], "a deleted session leaves the list")
    }

    func deleteByIDEndsOnlyTheUsersOwnSessions() {
        let user = "u_own\(Int.random(in: 0..<1_000_000))"
        let mine = [SessionID.generate(), SessionID.generate(), SessionID.generate()]
        let theirs = SessionID.generate()
        let base = record().createdAt
        for (i, id) in mine.enumerated() { a.save(id, session(user, createdAt: base + Int64(i)), ttl: 60) }
        b.save(theirs, session("u_victim", createdAt: base), ttl: 60)
        XCTAssertEqual(delete(b, [theirs], of: user), 0, "another user's session id deletes nothing")
        XCTAssertNotNil(a.load(theirs)?.ok() ?? nil)
        XCTAssertEqual(delete(b, [mine[0], mine[2], theirs, SessionID.generate()], of: user), 2)
        XCTAssertEqual(a.load(mine[0])?.ok(), .some(nil))
        XCTAssertEqual(a.load(mine[2])?.ok(), .some(nil))
        XCTAssertNotNil(a.load(mine[1])?.ok() ?? nil, "the one not named stays")
        XCTAssertNotNil(b.load(theirs)?.ok() ?? nil)
        XCTAssertEqual(list(a, user)?.map(\.id), [mine[1]])
        XCTAssertEqual(list(a, "u_victim")?.map(\.id), [theirs])
        XCTAssertEqual(delete(a, [], of: user), 0)
        XCTAssertEqual(delete(a, [mine[0]], of: user), 0, "already gone")
    }
}
