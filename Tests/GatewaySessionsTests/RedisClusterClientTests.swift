// The cluster client against a real three-primary cluster: spread, MOVED, ASK, a slot with no
// reachable node, and the invalidation channel heard from another node.
import Dispatch
import Foundation
import GatewaySessions
import GatewayTestSupport
import XCTest

final class RedisClusterClientTests: XCTestCase {
    nonisolated(unsafe) static var cluster: RedisClusterFixture?
    var clients: [RedisClusterClient] = []

    override class func setUp() {
        super.setUp()
        cluster = try? RedisClusterFixture()
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    override func tearDown() {
        for client in clients { client.close() }
        for client in clients { client.queue.sync {} }
        clients = []
    }

    private func client(seeds: [Int], wait: Bool = true) throws -> RedisClusterClient {
        let client = RedisClusterClient(
            queue: DispatchQueue(label: "test.cluster.\(clients.count)"),
            seeds: seeds.map { RedisAddress(host: "127.0.0.1", port: $0) })
        clients.append(client)
        client.start()
        if wait { eventually(on: client.queue, "cluster connected") { client.isConnected } }
        return client
    }

    func send(_ client: RedisClusterClient, _ args: [String]) -> Result<RedisValue, RedisError>? {
        waitFor(on: client.queue) { (done: @escaping @Sendable (Result<RedisValue, RedisError>) -> Void) in
            client.send(args, completion: done)
        }
    }

    private func redirects(_ client: RedisClusterClient) -> Int { client.queue.sync { client.redirectsFollowed } }

    func testDiscoversEveryPrimaryFromOneSeedAndSpreadsKeys() throws {
        let cluster = try XCTUnwrap(Self.cluster)
        let c = try client(seeds: [cluster.ports[5]])
        let primaries = try cluster.primaries()
        XCTAssertEqual(primaries.count, 3)
        XCTAssertEqual(Set(c.queue.sync { c.slotCounts }.keys.map(\.port)), Set(primaries))
        let before = try cluster.keyCounts()
        for n in 0..<300 { XCTAssertEqual(try send(c, ["SET", "spread:\(n)", "v"])?.get(), .status("OK")) }
        for n in 0..<300 { XCTAssertEqual(try send(c, ["GET", "spread:\(n)"])?.get(), .string(Array("v".utf8))) }
        let after = try cluster.keyCounts()
        for port in primaries { XCTAssertGreaterThan(after[port]! - before[port]!, 50, "primary \(port)") }
        XCTAssertEqual(redirects(c), 0, "a fresh map needs no redirect")
    }

    func testFollowsASKDuringAMigrationAndMOVEDAfterIt() throws {
        let cluster = try XCTUnwrap(Self.cluster)
        let c = try client(seeds: [cluster.ports[0]])
        let key = "migrating:\(UUID().uuidString)"
        XCTAssertEqual(try send(c, ["SET", key, "here"])?.get(), .status("OK"))
        let slot = ClusterHashSlot.slot(Array(key.utf8))
        let source = try XCTUnwrap(cluster.owner(ofSlot: slot))
        let target = try XCTUnwrap(cluster.primaries().first { $0 != source })

        let sourceSlots = c.queue.sync { c.slotCounts }[RedisAddress(host: "127.0.0.1", port: source)]
        try cluster.migrate(slot: slot, from: source, to: target, finish: false)
        XCTAssertEqual(try send(c, ["GET", key])?.get(), .string(Array("here".utf8)), "ASK followed")
        XCTAssertEqual(redirects(c), 1)
        XCTAssertEqual(
            c.queue.sync { c.slotCounts }[RedisAddress(host: "127.0.0.1", port: source)], sourceSlots,
            "an ASK leaves the map alone")

        try cluster.migrate(slot: slot, from: source, to: target, finish: true)
        XCTAssertEqual(try send(c, ["GET", key])?.get(), .string(Array("here".utf8)), "MOVED followed")
        XCTAssertEqual(redirects(c), 2)
        XCTAssertEqual(try send(c, ["GET", key])?.get(), .string(Array("here".utf8)))
        XCTAssertEqual(redirects(c), 2, "the MOVED updated the map")
        try cluster.migrate(slot: slot, from: target, to: source, finish: true)
    }

    func testRidesOutTwoNodesBouncingMOVEDForAMoment() throws {
        let cluster = try XCTUnwrap(Self.cluster)
        let c = try client(seeds: [cluster.ports[0]])
        let key = "bounce:\(UUID().uuidString)"
        XCTAssertEqual(try send(c, ["SET", key, "v"])?.get(), .status("OK"))
        let slot = ClusterHashSlot.slot(Array(key.utf8))
        let source = try XCTUnwrap(cluster.owner(ofSlot: slot))
        let target = try XCTUnwrap(cluster.primaries().first { $0 != source })
        // The order the spec warns against: the source hands the slot over while the target
        // still only imports it, so each sends the command to the other until the target is told.
        try cluster.migrate(slot: slot, from: source, to: target, finish: false)
        try RedisClusterFixture.cli(
            port: source, ["CLUSTER", "SETSLOT", String(slot), "NODE", try cluster.nodeID(target)])
        let told = DispatchSemaphore(value: 0)
        let targetID = try cluster.nodeID(target)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(40)) {
            _ = try? RedisClusterFixture.cli(port: target, ["CLUSTER", "SETSLOT", String(slot), "NODE", targetID])
            told.signal()
        }
        XCTAssertEqual(try send(c, ["GET", key])?.get(), .string(Array("v".utf8)))
        XCTAssertGreaterThanOrEqual(redirects(c), 2, "the nodes bounced it")
        told.wait()
        for port in try cluster.primaries() {
            try RedisClusterFixture.cli(port: port, ["CLUSTER", "SETSLOT", String(slot), "NODE", targetID])
        }
        try cluster.migrate(slot: slot, from: target, to: source, finish: true)
    }

    func testASlotWithoutAReachableNodeFailsAtOnce() throws {
        let dead = try LoopbackPort.unused()
        let c = try client(seeds: [dead], wait: false)
        let started = Date()
        let result = send(c, ["GET", "anything"])
        guard case .failure(let error)? = result else {
            return XCTFail("expected a failure, got \(String(describing: result))")
        }
        XCTAssertEqual(error, .unavailable)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "no hang")
        XCTAssertFalse(c.queue.sync { c.isConnected })
    }

    func testInvalidationPublishedOnAnyNodeReachesTheSubscriber() throws {
        try checkSubscriber(deadFirstSeed: false)
    }

    func testTheSubscriberMovesOnFromASeedThatDoesNotAnswer() throws {
        try checkSubscriber(deadFirstSeed: true)
    }

    private func checkSubscriber(deadFirstSeed: Bool) throws {
        let cluster = try XCTUnwrap(Self.cluster)
        let primaries = try cluster.primaries()
        let seeds = (deadFirstSeed ? [try LoopbackPort.unused()] : []) + [primaries[0]]
        let heard = Box<String>()
        let up = Box<Bool>()
        let queue = DispatchQueue(label: "test.cluster.subscriber")
        let subscriber = ClusterSubscriber(
            queue: queue, seeds: seeds.map { RedisAddress(host: "127.0.0.1", port: $0) }, password: nil,
            channel: Array("chan:test".utf8), logger: nil
        ) { payload in heard.append(String(decoding: payload, as: UTF8.self)) }
        subscriber.onConnectionChange = { up.append($0) }
        subscriber.start()
        defer {
            subscriber.close()
            queue.sync {}
        }
        eventually(on: queue, "subscribed") { up.all.last == true }
        XCTAssertEqual(queue.sync { subscriber.address?.port }, primaries[0])
        for port in primaries[1...] {
            try RedisClusterFixture.cli(port: port, ["PUBLISH", "chan:test", "from-\(port)"])
        }
        eventually(on: queue, "both messages") { heard.all.count == 2 }
        XCTAssertEqual(Set(heard.all), Set(primaries[1...].map { "from-\($0)" }))
    }
}

extension RedisClusterClientTests {
    /// `requirepass` on every node: the one password reaches each primary the map names (and
    /// the subscriber's node); without it nothing connects.
    func testAuthenticatesToEveryNodeWithTheOnePassword() throws {
        let cluster = try RedisClusterFixture(password: "s3cret-cluster")
        defer { cluster.stop() }
        let seeds = [RedisAddress(host: "127.0.0.1", port: cluster.ports[0])]
        let queue = DispatchQueue(label: "test.cluster.auth")
        let c = RedisClusterClient(queue: queue, seeds: seeds, password: "s3cret-cluster")
        let wrong = RedisClusterClient(queue: DispatchQueue(label: "test.cluster.noauth"), seeds: seeds)
        clients += [c, wrong]
        c.start()
        wrong.start()
        eventually(on: queue, "cluster connected") { c.isConnected }
        for n in 0..<60 { XCTAssertEqual(try send(c, ["SET", "auth:\(n)", "v"])?.get(), .status("OK")) }
        XCTAssertEqual(Set(c.queue.sync { c.slotCounts }.keys).count, 3)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertFalse(wrong.queue.sync { wrong.isConnected })
        guard case .failure(let error)? = send(wrong, ["GET", "auth:1"]) else {
            return XCTFail("no password, no answer")
        }
        XCTAssertEqual(error, .unavailable)
    }
}
