// Redis killed (SIGKILL) under load and started again on the same port and append-only file:
// protected paths 503 at once, public ones unaffected, recovery with no gateway restart, and the
// session made before the kill still works.
import Foundation
import GatewayTestSupport
import XCTest

final class RedisKillFaultTests: IntegrationTestCase {
    /// With the session cache on (the default): the cache must not carry a session through the
    /// outage. Losing Redis also loses the invalidation channel, and without it nothing is served
    /// from memory, so protected paths answer 503 as soon as the loss is seen, well before the
    /// cache's 5 s TTL; a revoked session can never outlive the TTL this way.
    func testKilledRedisGives503PromptlyAndRecoversWithTheSessionKept() throws {
        try killAndRestart(sessionExtra: "")
    }

    func testKilledRedisWithTheCacheOff() throws {
        try killAndRestart(sessionExtra: "cache off;")
    }

    private func killAndRestart(sessionExtra: String) throws {
        let port = closedPort()
        let dataDir = directory.appendingPathComponent("redis-aof")
        let password = "fault-pw-\(UUID().uuidString.prefix(8))"
        let redisArguments = ["--requirepass", password]
        try startRedis(port: port, appendOnly: true, directory: dataDir, arguments: redisArguments)
        let s = try startSignedInGateway(store: "redis://:\(password)@127.0.0.1:\(port)/0", sessionExtra: sessionExtra)
        let (gateway, cookie, session) = (s.gateway, s.cookie, s.session)
        XCTAssertEqual(try gateway.client().request("GET", "/app/x", headers: session).status, 200)
        let load = startLoad(on: s)
        defer { load.stop() }
        // Past appendfsync's second, so the AOF holds the sign-in's writes.
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertGreaterThan(load.samples("protected").filter { $0.status == 200 }.count, 0, "the load never got through")

        let redis = try XCTUnwrap(redisChildren[port])
        let killedAt = Date()
        redis.signal(SIGKILL)
        redis.waitForExit()
        let saw503 = waitUntil(timeout: 10, interval: 0.01) {
            load.samples("protected").contains { $0.status == 503 && $0.sentAt > killedAt }
        }
        XCTAssertTrue(saw503, "no 503 after the kill: \(gateway.child.stderr.suffix(2000))")
        Thread.sleep(forTimeInterval: 2)  // the outage, under load
        let restartedAt = Date()
        try startRedis(port: port, appendOnly: true, directory: dataDir, arguments: redisArguments)
        let recovered = waitUntil(timeout: 20, interval: 0.02) {
            load.samples("protected").contains { $0.status == 200 && $0.sentAt > restartedAt }
        }
        XCTAssertTrue(recovered, "no recovery after Redis came back: \(gateway.child.stderr.suffix(2000))")
        Thread.sleep(forTimeInterval: 0.5)
        let samples = load.stop()

        let protected = samples.filter { $0.kind == "protected" }
        let outage = protected.filter { $0.sentAt > killedAt && $0.answeredAt < restartedAt }
        let first503 = try XCTUnwrap(protected.filter { $0.status == 503 && $0.sentAt > killedAt }.map(\.answeredAt).min())
        let last200 = protected.filter { $0.status == 200 && $0.answeredAt < restartedAt }.map(\.sentAt).max()
        let back = try XCTUnwrap(protected.filter { $0.status == 200 && $0.sentAt > restartedAt }.map(\.answeredAt).min())
        let public_ = samples.filter { $0.kind == "public" && $0.sentAt > killedAt && $0.answeredAt < restartedAt }
        let label = sessionExtra.isEmpty ? "cache on" : "cache off"
        print(
            "redis SIGKILL (\(label)): first 503 after \(ms(first503.timeIntervalSince(killedAt))) ms; last 200 sent "
                + "\(ms((last200 ?? killedAt).timeIntervalSince(killedAt))) ms after the kill; "
                + "503s during the outage \(FaultLoad.summary(outage.filter { $0.status == 503 })); "
                + "public during the outage \(FaultLoad.summary(public_)); "
                + "recovered \(ms(back.timeIntervalSince(restartedAt))) ms after the restart")

        XCTAssertLessThan(first503.timeIntervalSince(killedAt), 2, "the loss was noticed late")
        // Nothing answered 200 from a session Redis could no longer vouch for (the cache
        // included): a request sent a second after the kill is refused.
        XCTAssertLessThan((last200 ?? killedAt).timeIntervalSince(killedAt), 1, "served while Redis was gone")
        XCTAssertEqual(Set(outage.filter { $0.sentAt > killedAt.addingTimeInterval(1) }.compactMap(\.status)), [503])
        // Prompt, not a hang: while Redis is down nothing waits for it.
        XCTAssertLessThan(outage.map(\.latency).max() ?? 0, 2.5, "a protected request waited on a dead Redis")
        XCTAssertFalse(public_.isEmpty)
        XCTAssertEqual(Set(public_.map(\.status)), [200], "public paths must not depend on Redis")
        XCTAssertLessThan(FaultLoad.percentile(public_.map(\.latency), 99), 1, "public latency during the outage")
        XCTAssertLessThan(back.timeIntervalSince(restartedAt), 12, "reconnect backoff is capped at 5 s")
        XCTAssertTrue(samples.allSatisfy { $0.status != nil }, "a request went unanswered")
        XCTAssertEqual(Set(protected.compactMap(\.status)), [200, 503])

        // The same process, and the session from before the kill (kept by the AOF).
        XCTAssertTrue(gateway.child.isRunning)
        XCTAssertEqual(try gateway.client().request("GET", "/app/after", headers: session).status, 200)
        let logs = try gateway.settledLogs()
        XCTAssertTrue(logs.contains("\"msg\":\"redis connection lost\""), "no log line for the loss")
        XCTAssertTrue(logs.contains("\"msg\":\"redis connection restored\""), "no log line for the recovery")
        // Hundreds of 503s, a few error lines: one per loop every 10 s, with the count left out.
        let storeLines = logs.components(separatedBy: "\"msg\":\"session store unavailable\"").count - 1
        XCTAssertTrue((1...3).contains(storeLines), "\(storeLines) \"session store unavailable\" lines")
        XCTAssertFalse(logs.contains(password), "the Redis password was logged")
        let sessionID = String(cookie.prefix { $0 != "." })
        XCTAssertFalse(logs.contains(cookie) || logs.contains(sessionID), "the session cookie was logged")
    }

    private func ms(_ t: TimeInterval) -> Int { Int(t * 1000) }
}
