// Conformance cases for back-channel logout (sessions by sid, once-only keys) and bearer
// identities (the user of an identity), run against the memory and Redis stores alike.
import GatewaySessions
import XCTest

extension StoreConformance {
    func deleteSessionsBySIDEndsExactlyThoseOfThatSID() {
        func session(_ provider: String, _ sid: String?) -> SessionRecord {
            var r = record(user: "u_sid")
            r.provider = provider
            r.sid = sid
            return r
        }
        let named = [SessionID.generate(), SessionID.generate()]
        let otherSID = SessionID.generate()
        let otherProvider = SessionID.generate()
        let noSID = SessionID.generate()
        for id in named { a.save(id, session("corp", "s:1"), ttl: 60) }
        b.save(otherSID, session("corp", "s:2"), ttl: 60)
        a.save(otherProvider, session("google", "s:1"), ttl: 60)
        b.save(noSID, session("corp", nil), ttl: 60)
        XCTAssertEqual(b.load(named[0])?.ok()??.sid, "s:1", "sid is stored with the session")
        let ended: Result<Int, StoreError>? = b.call { $0.deleteSessions(provider: "corp", sid: "s:1", completion: $1) }
        XCTAssertEqual(ended?.ok(), 2)
        for id in named { XCTAssertEqual(a.load(id)?.ok(), .some(nil)) }
        for id in [otherSID, otherProvider, noSID] { XCTAssertNotNil(a.load(id)?.ok() ?? nil) }
        let again: Result<Int, StoreError>? = a.call { $0.deleteSessions(provider: "corp", sid: "s:1", completion: $1) }
        XCTAssertEqual(again?.ok(), 0)
    }

    func claimOnceHoldsAcrossLoopsUntilItsTTL() {
        let key = "jti:" + SessionID.generate().value
        let first: Result<Bool, StoreError>? = a.call { $0.claimOnce(key, ttlSeconds: 1, completion: $1) }
        XCTAssertEqual(first?.ok(), true)
        let replay: Result<Bool, StoreError>? = b.call { $0.claimOnce(key, ttlSeconds: 1, completion: $1) }
        XCTAssertEqual(replay?.ok(), false, "another loop took the same key again")
        XCTAssertTrue(
            expireAfter(2) {
                let later: Result<Bool, StoreError>? = a.call { $0.claimOnce(key, ttlSeconds: 60, completion: $1) }
                return later?.ok() == true
            }, "the key outlived its TTL")
    }

    func userOfAnIdentityIsItsLinkedUser() {
        let claims = IdentityClaims(provider: "corp", subject: "bearer:1", email: "b@example.com", emailVerified: true)
        guard case .created(let user)? = a.signIn(claims)?.ok() else { return XCTFail("expected created") }
        let found: Result<UserRecord?, StoreError>? = b.call {
            $0.user(provider: "corp", subject: "bearer:1", completion: $1)
        }
        XCTAssertEqual(found?.ok(), .some(user))
        let missing: Result<UserRecord?, StoreError>? = b.call {
            $0.user(provider: "corp", subject: "nobody", completion: $1)
        }
        XCTAssertEqual(missing?.ok(), .some(nil))
    }
}
