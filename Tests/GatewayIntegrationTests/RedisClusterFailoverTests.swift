// A primary of the gateway's Redis Cluster killed under load: its replica takes over, requests
// for its slots get 503 (never a hang) for the gap, and every session works again afterwards.
import Foundation
import GatewayTestSupport
import XCTest

final class RedisClusterFailoverTests: IntegrationTestCase {
    private var cluster: RedisClusterFixture!

    override func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    func testAPrimaryKilledUnderLoadFailsOverAndItsSessionsStillWork() throws {
        cluster = try RedisClusterFixture()
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let seeds = cluster.ports.map { "127.0.0.1:\($0)" }.joined(separator: ",")
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }",
            store: "redis-cluster://\(seeds)/", sessionExtra: "cache off;")
        XCTAssertTrue(
            waitUntil(timeout: 15, interval: 0.05) {
                (try? RawHTTPClient(port: base.port!).request("GET", "/readyz").status) == 200
            })
        let cookies = try (0..<24).map { n -> String in
            let browser = Browser()
            try issuer.loginAs(sub: "failover-\(n)-\(UUID().uuidString.prefix(6))")
            try signInThroughIssuer(browser, base: base)
            return try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        }
        // The victim: a primary holding sessions (every primary holds some with 24), whose
        // replica is linked and in sync, so that there is one to take over.
        try cluster.waitForReplicas(timeout: 20)
        let primaries = try cluster.primaries()
        var onVictim = 0
        let victim = try XCTUnwrap(
            primaries.first { port in
                onVictim =
                    (try? RedisClusterFixture.cli(port: port, ["--scan", "--pattern", "session:*"]))?
                    .split(separator: "\n").count ?? 0
                return onVictim > 0
            })
        // Let the replicas catch up with the sign-ins (replication is asynchronous).
        for port in primaries {
            let acked = try RedisClusterFixture.cli(port: port, ["WAIT", "1", "5000"])
            XCTAssertEqual(
                Int(acked.trimmingCharacters(in: .whitespacesAndNewlines)), 1,
                "the replica of \(port) did not catch up\n\(cluster.diagnostics())")
        }

        let load = ClusterLoad(port: base.port!, cookies: cookies)
        XCTAssertTrue(waitUntil(timeout: 10) { load.counts[200, default: 0] >= 50 }, "the load runs")
        let killedAt = Date().timeIntervalSince(load.started)
        cluster.kill(victim)
        // The replica is promoted after the node timeout; then give the load a moment more.
        let promoted = waitUntil(timeout: 30, interval: 0.1) {
            (try? self.cluster.primaries().count) == 3
                && (try? self.cluster.waitForState(ok: true, timeout: 0.1)) != nil
        }
        XCTAssertTrue(promoted, "no replica took over from \(victim)\n\(promoted ? "" : cluster.diagnostics())")
        guard promoted else { _ = load.stop(); return }
        Thread.sleep(forTimeInterval: 2)
        let samples = load.stop()
        let failures = samples.filter { $0.status != 200 }
        let gapStart = failures.first?.at ?? killedAt
        let gapEnd = failures.last.map { $0.at + $0.seconds } ?? killedAt
        let slowest = samples.map(\.seconds).max() ?? 0
        print(
            "cluster failover: \(onVictim) sessions on the killed primary; \(ClusterLoad.summary(samples)); "
                + "failures from \(Int((gapStart - killedAt) * 1000)) to \(Int((gapEnd - killedAt) * 1000)) ms after the kill"
        )
        XCTAssertTrue(Set(failures.map(\.status)).isSubset(of: [503]), "only 503s: \(ClusterLoad.summary(samples))")
        XCTAssertLessThan(slowest, 3, "a request hung")
        XCTAssertLessThan(gapEnd - killedAt, 20, "the gap never closed")
        // Every session, those on the killed primary's slots included, works on the new primary.
        for cookie in cookies {
            let status = try RawHTTPClient(port: base.port!).request(
                "GET", "/app/x", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")]
            ).status
            XCTAssertEqual(status, 200, gateway.child.stderr.suffix(2000).description)
        }
        let servedInTheGap = samples.filter { $0.at > gapStart && $0.at < gapEnd && $0.status == 200 }.count
        print("cluster failover: \(servedInTheGap) requests for the other primaries' sessions served in the gap")
        XCTAssertGreaterThan(servedInTheGap, 0, "the other primaries' sessions keep working during the gap")
        XCTAssertEqual(
            try RawHTTPClient(port: base.port!).request("GET", "/readyz").status, 200, "ready again")
        let after = samples.filter { $0.at > gapEnd }
        XCTAssertFalse(after.isEmpty, "requests after the gap")
        XCTAssertTrue(after.allSatisfy { $0.status == 200 })
    }
}
