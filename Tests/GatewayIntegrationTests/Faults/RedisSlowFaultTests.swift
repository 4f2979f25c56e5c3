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
        // DEBUG SLEEP over a socket of the test's own, so that its start and end are known to
        // the millisecond: sent, then Redis answers "+OK" when it wakes.
        let redisClient = try RawHTTPClient(port: port, timeout: 20)
        let sleepStarted = Date()
        try redisClient.send("DEBUG SLEEP 4\r\n")
        var reply = [UInt8](repeating: 0, count: 64)
        let n = recv(redisClient.fd, &reply, reply.count, 0)
        let sleepEnded = Date()
        XCTAssertEqual(String(decoding: reply[0..<max(n, 0)], as: UTF8.self), "+OK\r\n")
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
        // The requests already waiting when Redis fell asleep were sent in the first milliseconds.
        let slowest503 =
            samples.filter { $0.kind == "protected" && $0.status == 503 && $0.sentAt > sleepStarted }.map(\.latency).max() ?? 0
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
}
