// The conformance suite on `MemoryStore`, shared by two loops as in the gateway.
import Dispatch
import GatewayCore
import GatewaySessions
import XCTest

final class MemoryStoreConformanceTests: XCTestCase {
    private var suite: StoreConformance!

    override func setUp() {
        // Real seconds for records (the suite stamps them with the date), manual time for TTLs.
        let clock = ManualClock(unixSeconds: SystemClock().unixSeconds())
        let store = MemoryStore(clock: clock)
        suite = StoreConformance(
            loops: [
                StoreLoop(store: store, queue: DispatchQueue(label: "test.loop.0")),
                StoreLoop(store: store, queue: DispatchQueue(label: "test.loop.1")),
            ],
            expireAfter: { seconds, expired in
                clock.advance(seconds: seconds)
                return expired()
            })
    }

    func testSaveLoadDeleteRoundTrip() { suite.saveLoadDeleteRoundTrip() }
    func testSessionExpiresAfterItsTTL() { suite.sessionExpiresAfterItsTTL() }
    func testSessionPastItsAbsoluteEndIsNil() { suite.sessionPastItsAbsoluteEndIsNil() }
    func testLoadOfMissingSessionIsNil() { suite.loadOfMissingSessionIsNil() }
    func testTouchAfterDeleteLeavesNoSession() { suite.touchAfterDeleteLeavesNoSession() }
    func testDeleteSessionsEndsOnlyThoseSignedInWithThatIdentity() {
        suite.deleteSessionsEndsOnlyThoseSignedInWithThatIdentity()
    }
    func testListsOnlyTheUsersLiveSessionsOldestFirst() { suite.listsOnlyTheUsersLiveSessionsOldestFirst() }
    func testDeleteByIDEndsOnlyTheUsersOwnSessions() { suite.deleteByIDEndsOnlyTheUsersOwnSessions() }
    func testDeleteSessionsBySIDEndsExactlyThoseOfThatSID() { suite.deleteSessionsBySIDEndsExactlyThoseOfThatSID() }
    func testClaimOnceHoldsAcrossLoopsUntilItsTTL() { suite.claimOnceHoldsAcrossLoopsUntilItsTTL() }
    func testUserOfAnIdentityIsItsLinkedUser() { suite.userOfAnIdentityIsItsLinkedUser() }
    func testFirstSignInCreatesUser() { suite.firstSignInCreatesUser() }
    func testSecondSignInWithSameIdentityIsExisting() { suite.secondSignInWithSameIdentityIsExisting() }
    func testVerifiedEmailOnAnotherProviderLinks() { suite.verifiedEmailOnAnotherProviderLinks() }
    func testUnverifiedEmailNeverLinksOrClaims() { suite.unverifiedEmailNeverLinksOrClaims() }
    func testExplicitLinkAndRefusalToStealAnIdentity() { suite.explicitLinkAndRefusalToStealAnIdentity() }
    func testUnlinkAndRefusalToRemoveTheLastIdentity() { suite.unlinkAndRefusalToRemoveTheLastIdentity() }
    func testConcurrentFirstSignInsWithOneVerifiedEmailMakeOneUser() {
        suite.concurrentFirstSignInsWithOneVerifiedEmailMakeOneUser()
    }
    func testRefreshLeaseHasOneHolderAcrossLoops() { suite.refreshLeaseHasOneHolderAcrossLoops() }
    func testRefreshLeaseRunsOut() { suite.refreshLeaseRunsOut() }
    func testGuardedUpdateWritesOnlyOverTheExpectedTokens() { suite.guardedUpdateWritesOnlyOverTheExpectedTokens() }
}
