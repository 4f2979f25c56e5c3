// RedisConnection against a real redis-server of our own: replies, pipelining, timeouts,
// outages, reconnection, AUTH/SELECT, and a loop queue that never waits on Redis.
import Dispatch
import Foundation
import GatewaySessions
import GatewayTestSupport
import XCTest

final class RedisConnectionTests: XCTestCase {
    var server: RedisTestServer!
    var connections: [RedisConnection] = []

    override func setUpWithError() throws {
        server = try RedisTestServer()
    }

    override func tearDown() {
        for connection in connections {
            connection.close()
            connection.queue.sync {}
        }
        connections = []
        server?.stop()
        server = nil
    }

    private func connect(
        host: String = "127.0.0.1", password: String? = nil, database: Int = 0, commandTimeout: Duration = .seconds(2),
        waitForConnection: Bool = true
    ) -> (RedisConnection, Box<String>) {
        let (logger, lines) = CapturingLogHandler.logger()
        let connection = RedisConnection(
            queue: DispatchQueue(label: "test.redis.\(connections.count)"), host: host, port: server.port,
            database: database, password: password, logger: logger, commandTimeout: commandTimeout)
        connections.append(connection)
        connection.start()
        if waitForConnection { eventually(on: connection.queue, "connected") { connection.isConnected } }
        return (connection, lines)
    }

    /// Waits (up to 10 s) until the connection has logged `count` failed retries after its
    /// first failure: the server or the password is wrong, so each attempt fails on its own.
    private func waitForRetries(_ count: Int, in lines: Box<String>, line: UInt = #line) {
        let retried = waitUntil(timeout: 10, interval: 0.02) {
            lines.all.filter { $0.hasPrefix("debug redis reconnect failed") }.count >= count
        }
        XCTAssertTrue(retried, "fewer than \(count) failed reconnects: \(lines.all)", line: line)
    }

    private func send(_ connection: RedisConnection, _ args: [[UInt8]]) -> Result<RedisValue, RedisError>? {
        waitFor(on: connection.queue) { done in connection.send(args, completion: done) }
    }

    private func send(_ connection: RedisConnection, _ args: [String]) -> Result<RedisValue, RedisError>? {
        send(connection, args.map { Array($0.utf8) })
    }

    /// Keeps Redis itself busy for `milliseconds` (a Lua loop), so a reply is late.
    private static let busyScript = """
        local t = redis.call('TIME')
        local start = t[1] * 1000000 + t[2]
        repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - start >= tonumber(ARGV[1]) * 1000
        return 1
        """

    func testCommandRoundTripIsBinarySafeAndMapsEveryReplyType() {
        let (redis, _) = connect()
        let value: [UInt8] = [0, 13, 10, 255, 36, 42, 0]
        XCTAssertEqual(send(redis, [Array("SET".utf8), [0x6B, 0, 0x6B], value]), .success(.status("OK")))
        XCTAssertEqual(send(redis, [Array("GET".utf8), [0x6B, 0, 0x6B]]), .success(.string(value)))
        XCTAssertEqual(send(redis, ["PING"]), .success(.status("PONG")))
        XCTAssertEqual(send(redis, ["INCRBY", "n", "-5"]), .success(.integer(-5)))
        XCTAssertEqual(send(redis, ["GET", "missing"]), .success(.null))
        XCTAssertEqual(send(redis, ["SET", "empty", ""]), .success(.status("OK")))
        XCTAssertEqual(send(redis, ["GET", "empty"]), .success(.string([])))
        XCTAssertEqual(
            send(redis, ["MGET", "n", "missing"]), .success(.array([.string(Array("-5".utf8)), .null])))
        XCTAssertEqual(
            send(redis, ["EVAL", "return {1, 'two', redis.error_reply('ERR inner')}", "0"]),
            .success(.array([.integer(1), .string(Array("two".utf8)), .error("ERR inner")])))
        let error = send(redis, ["NOSUCHCOMMAND"])?.failure
        XCTAssertTrue(error?.replyMessage?.hasPrefix("ERR unknown command") == true, "\(String(describing: error))")
    }

    /// A reply with the bytes the sender said it knows is that very array, not a copy; any
    /// other reply (other bytes of the same length, a null, an integer) is itself.
    func testAReplyEqualToTheKnownBytesIsTheKnownArrayItself() {
        let (redis, _) = connect()
        let known = Array("{\"userID\":\"u_1\"}".utf8)
        let sameLength = Array("{\"userID\":\"u_2\"}".utf8)
        func get(reusing: [UInt8]?) -> Result<RedisValue, RedisError>? {
            waitFor(on: redis.queue) { done in redis.send([Array("GET".utf8), Array("k".utf8)], reusing: reusing, completion: done) }
        }
        func storage(_ bytes: [UInt8]) -> UnsafeRawPointer? { bytes.withUnsafeBytes { $0.baseAddress } }
        XCTAssertEqual(send(redis, [Array("SET".utf8), Array("k".utf8), known]), .success(.status("OK")))
        guard case .success(.string(let same))? = get(reusing: known) else { return XCTFail("no string reply") }
        XCTAssertEqual(same, known)
        XCTAssertEqual(storage(same), storage(known), "the known array was copied")
        guard case .success(.string(let plain))? = get(reusing: nil) else { return XCTFail("no string reply") }
        XCTAssertEqual(plain, known)
        XCTAssertNotEqual(storage(plain), storage(known))
        XCTAssertEqual(send(redis, [Array("SET".utf8), Array("k".utf8), sameLength]), .success(.status("OK")))
        XCTAssertEqual(get(reusing: known), .success(.string(sameLength)), "other bytes of the same length")
        XCTAssertEqual(send(redis, ["DEL", "k"]), .success(.integer(1)))
        XCTAssertEqual(get(reusing: known), .success(.null))
    }

    func testThousandPipelinedCommandsCompleteInOrder() {
        let (redis, _) = connect()
        let replies = Box<Int>()
        let done = DispatchSemaphore(value: 0)
        redis.queue.async {
            // All 1000 are written before the first reply can be read: one queue turn.
            for _ in 0..<1000 {
                redis.send(["INCR", "pipelined"]) { result in
                    if case .success(.integer(let n)) = result { replies.append(n) } else { replies.append(-1) }
                    if replies.all.count == 1000 { done.signal() }
                }
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(replies.all, Array(1...1000))
    }

    func testFailsAtOnceWhileDownAndReconnectsWhenTheServerIsBack() throws {
        let (redis, lines) = connect()
        let changes = Box<Bool>()
        redis.queue.sync { redis.onConnectionChange = { changes.append($0) } }
        server.stop()
        eventually(on: redis.queue, "disconnected") { !redis.isConnected }
        // No queueing while down: the completion runs before `send` returns.
        let immediate = redis.queue.sync { () -> Result<RedisValue, RedisError>? in
            var result: Result<RedisValue, RedisError>?
            redis.send(["PING"]) { result = $0 }
            return result
        }
        XCTAssertEqual(immediate, .failure(.unavailable))
        waitForRetries(2, in: lines)  // several reconnect attempts fail meanwhile
        try server.start()
        eventually(on: redis.queue, "reconnected") { redis.isConnected }
        XCTAssertEqual(send(redis, ["PING"]), .success(.status("PONG")))
        XCTAssertEqual(changes.all, [false, true])
        let warnings = lines.all.filter { $0.hasPrefix("warning") }
        XCTAssertEqual(warnings.count, 1, "one line per transition, not per attempt: \(lines.all)")
        XCTAssertEqual(lines.all.filter { $0.contains("redis connection restored") }.count, 1, "\(lines.all)")
    }

    func testNeverConnectedFailsAtOnceAndLogsOnce() throws {
        let port = server.port
        server.stop()
        let (redis, lines) = connect(waitForConnection: false)
        waitForRetries(2, in: lines)
        XCTAssertEqual(send(redis, ["PING"]), .failure(.unavailable))
        XCTAssertEqual(lines.all.filter { $0.hasPrefix("warning") }.count, 1, "\(lines.all)")
        server = try RedisTestServer(port: port)
        eventually(on: redis.queue, "connected once the server starts") { redis.isConnected }
    }

    func testTheQueueNeverWaitsForRedis() {
        let (redis, _) = connect()
        let finished = DispatchSemaphore(value: 0)
        redis.queue.async {
            redis.send(["EVAL", Self.busyScript, "0", "800"]) { _ in finished.signal() }
        }
        var worst: TimeInterval = 0
        for _ in 0..<10 {
            let start = Date()
            redis.queue.sync {}
            worst = max(worst, Date().timeIntervalSince(start))
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertLessThan(worst, 0.2, "the loop queue stayed free while Redis was busy")
        XCTAssertEqual(finished.wait(timeout: .now() + 5), .success)
    }

    func testCommandTimesOutAndTheConnectionRecovers() {
        let (redis, _) = connect(commandTimeout: .milliseconds(200))
        let start = Date()
        XCTAssertEqual(send(redis, ["EVAL", Self.busyScript, "0", "700"]), .failure(.timeout))
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.6)
        eventually(on: redis.queue, "reconnected after the timeout") { redis.isConnected }
        XCTAssertEqual(send(redis, ["PING"]), .success(.status("PONG")))
    }

    func testCloseFailsCommandsInFlight() {
        let (redis, _) = connect()
        let result = waitFor(on: redis.queue) { (done: @escaping @Sendable (Result<RedisValue, RedisError>) -> Void) in
            redis.send(["EVAL", Self.busyScript, "0", "300"], completion: done)
            redis.close()
        }
        XCTAssertEqual(result, .failure(.unavailable))
        XCTAssertEqual(send(redis, ["PING"]), .failure(.unavailable))
    }

    func testAuthenticatesSelectsTheDatabaseAndNeverLogsThePassword() throws {
        server.stop()
        server = try RedisTestServer(port: server.port, arguments: ["--requirepass", "s3cret-pw"])
        let (redis, lines) = connect(host: "localhost", password: "s3cret-pw", database: 3)
        let info = send(redis, ["CLIENT", "INFO"])
        XCTAssertTrue(info.flatMap { try? $0.get().text }?.contains(" db=3 ") == true, "\(String(describing: info))")

        let (wrong, wrongLines) = connect(password: "not-the-pw", waitForConnection: false)
        waitForRetries(1, in: wrongLines)
        XCTAssertFalse(wrong.queue.sync { wrong.isConnected })
        XCTAssertEqual(wrongLines.all.filter { $0.hasPrefix("warning") }.count, 1, "\(wrongLines.all)")
        XCTAssertTrue(wrongLines.all.contains { $0.contains("AUTH failed") }, "\(wrongLines.all)")
        for line in lines.all + wrongLines.all {
            XCTAssertFalse(line.contains("s3cret") || line.contains("not-the-pw"), line)
        }
    }
}

extension RedisConnectionTests {
    func testAClosedConnectionIsReleased() {
        weak var weakConnection: RedisConnection?
        do {
            let (redis, _) = connect()
            weakConnection = redis
            XCTAssertEqual(send(redis, ["PING"]), .success(.status("PONG")))
            connections.removeAll()
            redis.close()
            redis.queue.sync {}
        }
        waitUntil(timeout: 1, interval: 0.05) { weakConnection == nil }
        XCTAssertNil(weakConnection, "nothing keeps a closed connection alive")
    }
}
