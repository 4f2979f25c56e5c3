// Two gateways on `store redis-sentinel://...` over real redis-server and redis-sentinel
// processes: sessions shared, sign-outs everywhere within a second, and the primary killed
// under load: no request hangs, sessions written before survive, and the gap is measured.
import Foundation
import GatewayTestSupport
import XCTest

final class SentinelFailoverTests: IntegrationTestCase {
    private let provider = { (issuer: String) in
        "provider idp { type oidc; issuer \(issuer); client_id gateway; client_secret x; }"
    }

    private func status(_ base: URL, cookie: String) throws -> Int {
        try RawHTTPClient(port: base.port!, timeout: FailoverLoad.requestTimeout).request(
            "GET", "/app/x", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")]
        ).status
    }

    private func signIn(_ issuer: JWTIssuer, on base: URL) throws -> (Browser, String) {
        let browser = Browser()
        try issuer.loginAs(sub: "sentinel-\(UUID().uuidString.prefix(8))")
        try signInThroughIssuer(browser, base: base)
        return (browser, try XCTUnwrap(browser.cookies(for: base)["__gateway"]))
    }

    private func signOut(_ browser: Browser, on base: URL) throws {
        let out = try browser.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: base)!.absoluteURL,
            headers: [("Origin", base.absoluteString), ("Sec-Fetch-Site", "same-origin")])
        XCTAssertEqual(out.response.status, 302)
    }

    /// Signs `browser` out on `base`; `other`, which has the session cached, refuses it within
    /// a second (the session cache's invalidation, through the primary).
    private func assertSignOut(_ browser: Browser, on base: URL, endsOn other: URL, cookie: String, _ what: String)
        throws
    {
        try signOut(browser, on: base)
        let start = Date()
        let refused = waitUntil(timeout: 5, interval: 0.02) { (try? status(other, cookie: cookie)) == 401 }
        let elapsed = Int(Date().timeIntervalSince(start) * 1000)
        print("sentinel: \(what): refused on the other instance after \(elapsed) ms")
        XCTAssertTrue(refused, "\(what): the other instance still serves the session")
        XCTAssertLessThan(elapsed, 1000, what)
    }

    /// `GET` calls the Redis on `port` has served so far: a session load is one GET.
    private func gets(_ port: Int, _ group: SentinelGroup) throws -> Int {
        let lines = try redisCLI(port, password: group.password, ["INFO", "commandstats"])
        guard let line = lines.first(where: { $0.hasPrefix("cmdstat_get:") }),
            let calls = line.split(separator: "=").dropFirst().first?.split(separator: ",").first
        else { return 0 }
        return Int(calls) ?? 0
    }

    private func waitUntilReady(_ base: URL) {
        let ready = waitUntil(timeout: 20, interval: 0.05) {
            (try? RawHTTPClient(port: base.port!).request("GET", "/readyz").status) == 200
        }
        XCTAssertTrue(ready, "\(base) never found the primary")
    }

    func testTwoInstancesShareSessionsThroughSentinelAndRideOutAPrimaryKilledUnderLoad() throws {
        let group = try startSentinelGroup()
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        // A lists a sentinel that is down first: discovery skips it.
        let (a, baseA) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider(issuer.issuer),
            store: group.storeURL(extraFirst: [closedPort()]))
        let (b, baseB) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider(issuer.issuer), store: group.storeURL())
        waitUntilReady(baseA)
        waitUntilReady(baseB)

        // A session made on A works on B; a sign-out on A ends it on B (which cached it) within a second.
        let (first, firstCookie) = try signIn(issuer, on: baseA)
        XCTAssertEqual(try status(baseB, cookie: firstCookie), 200)
        XCTAssertEqual(try status(baseB, cookie: firstCookie), 200)
        try assertSignOut(first, on: baseA, endsOn: baseB, cookie: firstCookie, "sign-out on A")

        // A session written before the failover, and acknowledged by the replica.
        let (second, cookie) = try signIn(issuer, on: baseA)
        XCTAssertEqual(try status(baseB, cookie: cookie), 200)

        // A sentinel that names the replica answers first: ROLE refuses it and the next is asked.
        let stale = try startStaleSentinel(naming: group.replicaPort)
        let (c, baseC) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider(issuer.issuer), store: group.storeURL(extraFirst: [stale]))
        waitUntilReady(baseC)
        XCTAssertEqual(try status(baseC, cookie: cookie), 200)
        XCTAssertTrue(try c.settledLogs().contains("not the primary (ROLE says slave)"), "the replica was not refused")
        c.stop()
        try waitForReplica(group)

        let loads = [FailoverLoad(port: baseA.port!, cookie: cookie), FailoverLoad(port: baseB.port!, cookie: cookie)]
        Thread.sleep(forTimeInterval: 1)
        let killedAt = Date()
        group.primary.signal(SIGKILL)
        let offsets = loads.map { killedAt.timeIntervalSince($0.began) }
        let recovered = waitUntil(timeout: 40, interval: 0.05) {
            zip(loads, offsets).allSatisfy { $0.recovery(after: $1) != nil }
        }
        Thread.sleep(forTimeInterval: 1)
        let samples = loads.map { $0.stop() }
        XCTAssertTrue(recovered, "an instance never served the session again after the failover")
        for (index, name) in ["A", "B"].enumerated() {
            let runs = samples[index]
            let after = runs.filter { $0.start >= offsets[index] }
            let unavailable = after.filter { $0.status == 503 }.count
            let slowest = runs.map(\.latency).max() ?? 0
            let firstOK = loads[index].recovery(after: offsets[index])
            let gap = firstOK.map { $0.start + $0.latency - offsets[index] } ?? .infinity
            print(
                "sentinel failover: instance \(name): gap \(Int(gap * 1000)) ms from the kill to the first 200, "
                    + "\(unavailable) x 503 of \(after.count) requests after the kill (\(runs.count) in all), "
                    + "slowest answer \(Int(slowest * 1000)) ms")
            // Only the session or a prompt 503: never a hang (-1), a 401 (a lost session) or a 5xx else.
            XCTAssertEqual(Set(runs.map(\.status)).subtracting([200, 503]), [], "instance \(name)")
            XCTAssertLessThan(slowest, 4, "instance \(name): a request waited on the failover")
            XCTAssertEqual(runs.filter { $0.start < offsets[index] }.map(\.status).filter { $0 != 200 }, [])
            if let firstOK {
                let settled = after.filter { $0.start > firstOK.start + 0.5 }
                XCTAssertEqual(
                    settled.filter { $0.status != 200 }.count, 0, "instance \(name) flapped after recovering")
            }
        }

        // The replica is the primary now; the session cache and its invalidation followed it.
        XCTAssertEqual(try redisCLI(group.replicaPort, password: group.password, ["ROLE"]).first, "master")
        XCTAssertEqual(try status(baseA, cookie: cookie), 200)
        // Cached again once A's invalidation subscriber is on the new primary: 20 requests, at most 2 GETs.
        let cachedAgain = waitUntil(timeout: 10, interval: 0.2) {
            guard let before = try? gets(group.replicaPort, group) else { return false }
            for _ in 0..<20 where (try? status(baseA, cookie: cookie)) != 200 { return false }
            return ((try? gets(group.replicaPort, group)) ?? .max) - before <= 2
        }
        XCTAssertTrue(cachedAgain, "A's session cache stayed off: its subscriber did not follow the primary")
        second.setCookie("__gateway", cookie, for: baseB)  // the same cookie, sent to the other instance
        try assertSignOut(second, on: baseB, endsOn: baseA, cookie: cookie, "after the failover, sign-out on B")

        // New sessions are written on the new primary.
        let (_, third) = try signIn(issuer, on: baseB)
        XCTAssertEqual(try status(baseA, cookie: third), 200)
        for gateway in [a, b] {
            let logs = try gateway.settledLogs()
            XCTAssertFalse(logs.contains(group.password), "the Redis password reached the logs")
            XCTAssertTrue(logs.contains("sentinel switched the primary"), "no +switch-master was followed")
        }
    }
}
