// The conformance suite on `RedisStore` against a real redis-server: GATEWAY_TEST_REDIS_URL
// when set (keys under a prefix unique to the test, removed afterwards), else our own server.
import Dispatch
import Foundation
import GatewaySessions
import GatewayTestSupport
import XCTest

final class RedisStoreConformanceTests: XCTestCase {
    private var fixture: RedisStoreFixture!
    private var suite: StoreConformance!

    override func setUpWithError() throws {
        fixture = try RedisStoreFixture(loops: 2)
        suite = StoreConformance(
            loops: fixture.loops,
            expireAfter: { seconds, expired in  // Redis keeps its own time
                waitUntil(timeout: Double(seconds) + 1, interval: 0.05, expired)
            })
    }

    override func tearDown() {
        fixture?.tearDown()
        fixture = nil
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

/// Redis stores on `loops` connections (one queue each), all under one fresh key prefix.
/// Thread-safety: used from the test thread only.
final class RedisStoreFixture {
    let server: RedisTestServer?
    let host: String
    let port: Int
    let database: Int
    let prefix = "gwtest:\(UUID().uuidString.prefix(8).lowercased()):"
    private(set) var connections: [RedisConnection] = []
    private(set) var loops: [StoreLoop] = []

    /// `ownServer` forces a private redis-server (for tests that stop it or reset stats).
    init(loops count: Int, ownServer: Bool = false) throws {
        if !ownServer, let shared = RedisTestURL.fromEnvironment {
            server = nil
            (host, port, database) = (shared.host, shared.port, shared.database)
        } else {
            let server = try RedisTestServer()
            self.server = server
            (host, port, database) = ("127.0.0.1", server.port, 0)
        }
        for i in 0..<count {
            let queue = DispatchQueue(label: "test.redis.loop.\(i)")
            let connection = RedisConnection(queue: queue, host: host, port: port, database: database)
            connection.start()
            connections.append(connection)
            loops.append(StoreLoop(store: RedisStore(connection: connection, keyPrefix: prefix), queue: queue))
        }
        for connection in connections {
            eventually(on: connection.queue, "redis connected") { connection.isConnected }
        }
    }

    /// Removes this run's keys from a shared server (never FLUSHDB there), then closes.
    func tearDown() {
        if server == nil, let connection = connections.first {
            let pattern = prefix + "*"
            let script = "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1"
            _ = waitFor(on: connection.queue) { (done: @escaping @Sendable (Result<RedisValue, RedisError>) -> Void) in
                connection.send(["EVAL", script, "0", pattern], completion: done)
            }
        }
        for connection in connections { connection.close() }
        for connection in connections { connection.queue.sync {} }
        server?.stop()
    }
}
