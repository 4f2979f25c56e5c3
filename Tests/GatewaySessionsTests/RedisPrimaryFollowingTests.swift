// A connection that follows the primary, against two real redis-servers: a located replica is
// refused by ROLE, a READONLY reply (the primary demoted under it) sends it back to its locator,
// and `primaryMoved` moves it at once.
import Dispatch
import Foundation
import GatewayTestSupport
import XCTest

@testable import GatewaySessions

final class RedisPrimaryFollowingTests: XCTestCase {
    private var servers: [RedisTestServer] = []
    private var connections: [RedisConnection] = []

    override func tearDown() {
        for connection in connections {
            connection.close()
            connection.queue.sync {}
        }
        connections = []
        for server in servers { server.stop() }
        servers = []
    }

    /// What the locator names next; touched only on the connection's queue.
    private final class Target: @unchecked Sendable {
        var ports: [Int]
        var asks = 0
        init(_ ports: [Int]) { self.ports = ports }
        /// The next port in `ports`, the last one again once they are used up.
        func next() -> Int {
            asks += 1
            return ports.count > 1 ? ports.removeFirst() : ports[0]
        }
    }

    private func following(_ target: Target) -> (RedisConnection, Box<String>) {
        let (logger, lines) = CapturingLogHandler.logger()
        let queue = DispatchQueue(label: "test.redis.primary.\(connections.count)")
        let connection = RedisConnection(queue: queue, host: "unresolved", port: 0, logger: logger)
        connection.locator = RedisLocator(master: "m", primaryOnly: true) { done in
            done(.found(RedisAddress(host: "127.0.0.1", port: target.next())))
        }
        connections.append(connection)
        return (connection, lines)
    }

    private func plain(_ port: Int) -> RedisConnection {
        let connection = RedisConnection(
            queue: DispatchQueue(label: "test.redis.admin.\(port)"), host: "127.0.0.1", port: port)
        connections.append(connection)
        connection.start()
        eventually(on: connection.queue, "admin connection to \(port)") { connection.isConnected }
        return connection
    }

    private func send(_ connection: RedisConnection, _ args: [String]) -> Result<RedisValue, RedisError>? {
        waitFor(on: connection.queue) { done in connection.send(args, completion: done) }
    }

    func testALocatedReplicaIsRefusedAndADemotedPrimaryIsLeftOnItsFirstREADONLY() throws {
        let a = try RedisTestServer()
        servers.append(a)
        let b = try RedisTestServer(arguments: ["--replicaof", "127.0.0.1", String(a.port)])
        servers.append(b)

        // Told b (a replica) first: ROLE refuses it, and the next locate names a.
        let target = Target([b.port, a.port])
        let (connection, lines) = following(target)
        connection.start()
        eventually(on: connection.queue, "connected to the primary") { connection.isConnected }
        XCTAssertEqual(connection.queue.sync { connection.port }, a.port)
        XCTAssertTrue(lines.all.contains { $0.contains("not the primary (ROLE says slave)") }, "\(lines.all)")
        XCTAssertEqual(send(connection, ["SET", "k", "1"]), .success(.status("OK")))

        // Swap the roles under the open connection: b is promoted, a follows it.
        XCTAssertEqual(send(plain(b.port), ["REPLICAOF", "NO", "ONE"]), .success(.status("OK")))
        XCTAssertEqual(send(plain(a.port), ["REPLICAOF", "127.0.0.1", String(b.port)]), .success(.status("OK")))
        connection.queue.sync { target.ports = [b.port] }
        guard case .failure(let error)? = send(connection, ["SET", "k", "2"]) else {
            return XCTFail("a write on a demoted primary succeeded")
        }
        XCTAssertTrue(error.replyMessage?.hasPrefix("READONLY") == true, "\(error)")
        let promoted = b.port
        eventually(on: connection.queue, "moved to the new primary") {
            connection.isConnected && connection.port == promoted
        }
        XCTAssertEqual(send(connection, ["SET", "k", "3"]), .success(.status("OK")))
    }

    func testPrimaryMovedReconnectsAtOnceAndIgnoresTheAddressItIsOn() throws {
        let a = try RedisTestServer()
        servers.append(a)
        let target = Target([a.port])
        let (connection, _) = following(target)
        connection.start()
        eventually(on: connection.queue, "connected") { connection.isConnected }
        // Already there: nothing happens.
        connection.queue.sync {
            connection.primaryMoved(to: RedisAddress(host: "127.0.0.1", port: a.port), reason: "test")
        }
        XCTAssertEqual(connection.queue.sync { (connection.isConnected, target.asks) }.1, 1)
        // Elsewhere (or unknown): it drops the connection and locates again without a backoff.
        connection.queue.sync { connection.primaryMoved(to: nil, reason: "test") }
        XCTAssertEqual(connection.queue.sync { target.asks }, 2, "it waited out a backoff")
        eventually(on: connection.queue, "reconnected") { connection.isConnected }
    }
}
