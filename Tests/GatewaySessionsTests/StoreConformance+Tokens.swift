// The conformance cases for token refresh: one lease holder at a time, across loops, and the
// write that never brings back tokens another writer replaced.
import Dispatch
import GatewaySessions
import XCTest

extension StoreLoop {
    var tokens: any ProviderTokenStore { store as! any ProviderTokenStore }

    func acquire(_ id: SessionID, _ owner: String, ms: Int = 5_000) -> Bool? {
        let tokens = self.tokens
        let result: Result<Bool, StoreError>? = call { _, done in
            tokens.acquireRefreshLease(id, owner: owner, milliseconds: ms, completion: done)
        }
        return result?.ok()
    }

    func renew(_ id: SessionID, _ owner: String, ms: Int = 5_000) -> Bool? {
        let tokens = self.tokens
        let result: Result<Bool, StoreError>? = call { _, done in
            tokens.renewRefreshLease(id, owner: owner, milliseconds: ms, completion: done)
        }
        return result?.ok()
    }

    func release(_ id: SessionID, _ owner: String) {
        let tokens = self.tokens
        let result: Result<Void, StoreError>? = call { _, done in
            tokens.releaseRefreshLease(id, owner: owner, completion: done)
        }
        XCTAssertNotNil(result?.ok())
    }

    func updateIfTokens(_ id: SessionID, _ record: SessionRecord, expected: String?) -> Bool? {
        let tokens = self.tokens
        let result: Result<Bool, StoreError>? = call { _, done in
            tokens.updateIfTokensUnchanged(id, record, expectedTokens: expected, ttlSeconds: 60, completion: done)
        }
        return result?.ok()
    }
}

extension StoreConformance {
    func refreshLeaseHasOneHolderAcrossLoops() {
        let id = SessionID.generate()
        XCTAssertEqual(a.acquire(id, "owner-a"), true)
        XCTAssertEqual(b.acquire(id, "owner-b"), false, "held by another loop")
        XCTAssertEqual(a.acquire(SessionID.generate(), "owner-b"), true, "each session has its own lease")
        XCTAssertEqual(b.renew(id, "owner-b"), false, "only the holder renews")
        XCTAssertEqual(a.renew(id, "owner-a"), true)
        b.release(id, "owner-b")
        XCTAssertEqual(b.acquire(id, "owner-b"), false, "a release by someone else does nothing")
        a.release(id, "owner-a")
        XCTAssertEqual(b.acquire(id, "owner-b"), true, "free once its holder released it")
        XCTAssertEqual(a.renew(id, "owner-a"), false, "the old holder cannot take it back by renewing")
    }

    func refreshLeaseRunsOut() {
        let id = SessionID.generate()
        XCTAssertEqual(a.acquire(id, "crashed", ms: 300), true)
        XCTAssertEqual(b.acquire(id, "next", ms: 300), false)
        XCTAssertTrue(expireAfter(1) { b.acquire(id, "next") == true }, "a lease outlived its time")
        a.release(id, "crashed")
        XCTAssertEqual(a.acquire(id, "third"), false, "the late release of the first holder left it alone")
    }

    func guardedUpdateWritesOnlyOverTheExpectedTokens() {
        let id = SessionID.generate()
        var old = record()
        old.sealedTokens = "sealed-old"
        old.tokenExpiresAt = old.createdAt + 60
        XCTAssertEqual(a.updateIfTokens(id, old, expected: nil), false, "never creates a session")
        a.save(id, old, ttl: 60)
        var refreshed = old
        refreshed.sealedTokens = "sealed-new"
        refreshed.tokenExpiresAt = old.createdAt + 120
        var staleTouch = old
        staleTouch.lastSeenAt += 61
        XCTAssertEqual(b.updateIfTokens(id, refreshed, expected: "sealed-old"), true)
        XCTAssertEqual(a.updateIfTokens(id, staleTouch, expected: "sealed-old"), false, "read before the refresh")
        XCTAssertEqual(a.load(id)?.ok(), .some(refreshed), "the refreshed tokens stay")
        var touch = refreshed
        touch.lastSeenAt += 61
        XCTAssertEqual(a.updateIfTokens(id, touch, expected: "sealed-new"), true)
        XCTAssertEqual(b.load(id)?.ok(), .some(touch))
        var bare = record()
        bare.sealedTokens = nil
        let other = SessionID.generate()
        b.save(other, bare, ttl: 60)
        XCTAssertEqual(a.updateIfTokens(other, bare, expected: "sealed-new"), false)
        XCTAssertEqual(a.updateIfTokens(other, bare, expected: nil), true, "no tokens expected, none there")
        XCTAssertNotNil(a.delete(id)?.ok())
        XCTAssertEqual(b.updateIfTokens(id, touch, expected: "sealed-new"), false, "a deleted session stays deleted")
        XCTAssertEqual(a.load(id)?.ok(), .some(nil))
    }
}
