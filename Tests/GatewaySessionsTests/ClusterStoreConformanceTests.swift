// The conformance suite on `RedisStore` over a real three-primary Redis Cluster: the identity
// scripts on the `{users}` slot and the split session scripts keep every rule of the store.
import Dispatch
import Foundation
import GatewaySessions
import GatewayTestSupport
import XCTest

final class ClusterStoreConformanceTests: XCTestCase {
    nonisolated(unsafe) static var cluster: RedisClusterFixture?
    private var clients: [RedisClusterClient] = []
    private var suite: StoreConformance!

    override class func setUp() {
        super.setUp()
        cluster = try? RedisClusterFixture()
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        let cluster = try XCTUnwrap(Self.cluster, "the Redis Cluster did not start")
        let prefix = "gwtest:\(UUID().uuidString.prefix(8).lowercased()):"
        var loops: [StoreLoop] = []
        for i in 0..<2 {
            let queue = DispatchQueue(label: "test.cluster.loop.\(i)")
            let client = RedisClusterClient(
                queue: queue, seeds: [RedisAddress(host: "127.0.0.1", port: cluster.ports[i])])
            client.start()
            clients.append(client)
            loops.append(StoreLoop(store: RedisStore(connection: client, keyPrefix: prefix), queue: queue))
        }
        for client in clients { eventually(on: client.queue, "cluster connected") { client.isConnected } }
        suite = StoreConformance(
            loops: loops,
            expireAfter: { seconds, expired in waitUntil(timeout: Double(seconds) + 1, interval: 0.05, expired) })
    }

    override func tearDown() {
        for client in clients { client.close() }
        for client in clients { client.queue.sync {} }
        clients = []
        suite = nil
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
