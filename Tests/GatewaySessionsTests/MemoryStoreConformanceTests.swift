// The conformance suite on `MemoryStore`, shared by two loops as in the gateway.
import Dispatch
import GatewaySessions
import XCTest

final class MemoryStoreConformanceTests: XCTestCase {
    private var suite: StoreConformance!

    override func setUp() {
        let store = MemoryStore()
        suite = StoreConformance(loops: [
            StoreLoop(store: store, queue: DispatchQueue(label: "test.loop.0")),
            StoreLoop(store: store, queue: DispatchQueue(label: "test.loop.1")),
        ])
    }

    func testSaveLoadDeleteRoundTrip() { suite.saveLoadDeleteRoundTrip() }
    func testSessionExpiresAfterItsTTL() { suite.sessionExpiresAfterItsTTL() }
    func testSessionPastItsAbsoluteEndIsNil() { suite.sessionPastItsAbsoluteEndIsNil() }
    func testLoadOfMissingSessionIsNil() { suite.loadOfMissingSessionIsNil() }
    func testTouchAfterDeleteLeavesNoSession() { suite.touchAfterDeleteLeavesNoSession() }
    func testDeleteSessionsEndsOnlyThoseSignedInWithThatIdentity() {
        suite.deleteSessionsEndsOnlyThoseSignedInWithThatIdentity()
    }
    func testFirstSignInCreatesUser() { suite.firstSignInCreatesUser() }
    func testSecondSignInWithSameIdentityIsExisting() { suite.secondSignInWithSameIdentityIsExisting() }
    func testVerifiedEmailOnAnotherProviderLinks() { suite.verifiedEmailOnAnotherProviderLinks() }
    func testUnverifiedEmailNeverLinksOrClaims() { suite.unverifiedEmailNeverLinksOrClaims() }
    func testExplicitLinkAndRefusalToStealAnIdentity() { suite.explicitLinkAndRefusalToStealAnIdentity() }
    func testUnlinkAndRefusalToRemoveTheLastIdentity() { suite.unlinkAndRefusalToRemoveTheLastIdentity() }
    func testConcurrentFirstSignInsWithOneVerifiedEmailMakeOneUser() {
        suite.concurrentFirstSignInsWithOneVerifiedEmailMakeOneUser()
    }
}
