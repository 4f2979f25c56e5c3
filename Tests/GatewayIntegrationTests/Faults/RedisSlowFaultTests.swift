// Redis that stops answering (`DEBUG SLEEP`) while its connections stay open: protected
// requests get 503 at `store_timeout`, never later, and the one loop keeps serving the rest.
import Foundation
import GatewayTestSupport
import XCTest

final class RedisSlowFaultTests: IntegrationTestCase {
    /// The cache is off, so every protected request asks Redis (with it on, a session the loop
    /// holds is answered from memory for up to its TTL, which is the cache's contract).
    func testASleepingRedisGives503AtTheStoreTimeoutAndTheLoopServesOn() throws {
        // Redis 7 refuses DEBUG unless enabled (`local`: from loopback only).
        let port = try startRedis(port: closedPort(), arguments: ["--enable-debug-command", "local"])
        let s = try startSignedInGateway(
            store: "redis://127.0.0.1:\(port)/0", sessionExtra: "cache off;\nstore_timeout 500ms;")
        let (gateway, session) = (s.gateway, s.session)
        let load = startLoad(on: s)
        defer { load.stop() }
        Thread.sleep(forTimeInterval: 1)
        let sleeper = try RedisSleeper(port: port, seconds: 4)
        let sleepStarted = sleeper.started
        let sleepEnded = try sleeper.awaitWake()
        let recovered = waitUntil(timeout: 15, interval: 0.02) {
            load.samples("protected").contains { $0.status == 200 && $0.sentAt > sleepEnded }
        }
        let samples = load.stop()
        XCTAssertTrue(recovered, "protected requests never recovered: \(gateway.child.stderr.suffix(2000))")

        // What was asked while Redis slept: from 20 ms after the command was sent (it is then
        // ahead of any command the gateway sends) to 100 ms before its answer came.
        let during = samples.filter {
            $0.sentAt > sleepStarted.addingTimeInterval(0.02) && $0.sentAt < sleepEnded.addingTimeInterval(-0.1)
        }
        let before = samples.filter { $0.kind == "public" && $0.answeredAt < sleepStarted }
        let protected = during.filter { $0.kind == "protected" }
        let public_ = during.filter { $0.kind == "public" }
        // The request waiting when Redis fell asleep may have been sent just before the sleep
        // command (Redis runs it first, then this one): count the 503s answered after it began.
        let slowest503 =
            samples.filter { $0.kind == "protected" && $0.status == 503 && $0.answeredAt > sleepStarted }
            .map(\.latency).max() ?? 0
        let back = try XCTUnwrap(
            samples.filter { $0.kind == "protected" && $0.status == 200 && $0.sentAt > sleepEnded }.map(\.answeredAt).min())
        print(
            "redis DEBUG SLEEP 4, store_timeout 500ms: slowest 503 \(Int(slowest503 * 1000)) ms; "
                + "protected 503s \(FaultLoad.summary(protected.filter { $0.status == 503 })); "
                + "public before \(FaultLoad.summary(before)); public during \(FaultLoad.summary(public_)); "
                + "protected 200 again \(Int(back.timeIntervalSince(sleepEnded) * 1000)) ms after the sleep ended")

        XCTAssertFalse(protected.isEmpty)
        XCTAssertEqual(Set(protected.map(\.status)), [503], "only 503s while Redis sleeps")
        // The commands in flight when Redis fell asleep waited for the timeout (not for Redis),
        // and those behind them failed at once: the loop dropped the stuck connection.
        XCTAssertGreaterThan(slowest503, 0.4, "the 503s came before store_timeout: not the timeout")
        // Past 1.5 s it was not this timeout (the default is 2 s, and Redis slept 4 s).
        XCTAssertLessThan(slowest503, 1.5, "a protected request waited past store_timeout")
        XCTAssertGreaterThan(protected.filter { $0.latency < 0.3 }.count, 0, "requests queued behind a stuck connection")
        XCTAssertFalse(public_.isEmpty)
        XCTAssertEqual(Set(public_.map(\.status)), [200])
        XCTAssertLessThan(FaultLoad.percentile(public_.map(\.latency), 99), 0.75, "the loop stalled with Redis")
        XCTAssertLessThan(back.timeIntervalSince(sleepEnded), 8)
        XCTAssertTrue(samples.allSatisfy { $0.status != nil }, "a request went unanswered")
        XCTAssertTrue(gateway.child.stderr.contains("a command timed out"), "the connection was not replaced")
        XCTAssertEqual(try gateway.client().request("GET", "/app/after", headers: session).status, 200)
    }

    /// A reload that changes only `store_timeout` replaces the loops' Redis connections (a
    /// connection keeps the timeout it was made with), so the new one applies at once.
    func testAReloadedStoreTimeoutTakesEffect() throws {
        let port = try startRedis(port: closedPort(), arguments: ["--enable-debug-command", "local"])
        let s = try startSignedInGateway(store: "redis://127.0.0.1:\(port)/0", sessionExtra: "cache off;\nstore_timeout 5s;")
        let text = try String(contentsOf: s.gateway.configURL, encoding: .utf8)
        try text.replacingOccurrences(of: "store_timeout 5s;", with: "store_timeout 300ms;")
            .write(to: s.gateway.configURL, atomically: false, encoding: .utf8)
        s.gateway.child.signal(SIGHUP)
        _ = try s.gateway.child.waitFor("the reload and its new Redis connection", in: { s.gateway.child.stderr }) {
            $0.contains("configuration reloaded") && $0.components(separatedBy: "\"msg\":\"redis connected\"").count > 2
                ? true : nil
        }
        XCTAssertEqual(try s.gateway.client().request("GET", "/app/x", headers: s.session).status, 200)
        let sleeper = try RedisSleeper(port: port, seconds: 2)
        Thread.sleep(forTimeInterval: 0.02)
        let start = Date()
        let status = try s.gateway.client().request("GET", "/app/x", headers: s.session).status
        let elapsed = Date().timeIntervalSince(start)
        _ = try sleeper.awaitWake()
        print("store_timeout reloaded from 5s to 300ms: 503 after \(Int(elapsed * 1000)) ms")
        XCTAssertEqual(status, 503)
        XCTAssertLessThan(elapsed, 1.5, "the old connection's 5 s timeout still applied")
    }
}

/// `DEBUG SLEEP` over a socket of the test's own, so that its start and end are known to the
/// millisecond: sent at `started`, and Redis answers "+OK" when it wakes.
private struct RedisSleeper {
    let client: RawHTTPClient
    let started: Date

    init(port: Int, seconds: Int) throws {
        client = try RawHTTPClient(port: port, timeout: 20)
        started = Date()
        try client.send("DEBUG SLEEP \(seconds)\r\n")
    }

    /// Waits for the "+OK"; returns when it came.
    func awaitWake() throws -> Date {
        var reply = [UInt8](repeating: 0, count: 64)
        let n = recv(client.fd, &reply, reply.count, 0)
        let woke = Date()
        let text = String(decoding: reply[0..<max(n, 0)], as: UTF8.self)
        guard text == "+OK\r\n" else { throw TestFailure("DEBUG SLEEP answered \(text.debugDescription)") }
        return woke
    }
}
