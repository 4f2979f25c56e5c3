// A gateway on a real three-primary Redis Cluster: sessions spread over every primary, the
// identity scripts (sign-in, link, unlink) run on the one `{users}` slot, and a resharding of
// slots holding live sessions while requests run costs no failed request.
import Foundation
import GatewayTestSupport
import XCTest

final class RedisClusterTests: IntegrationTestCase {
    var cluster: RedisClusterFixture!
    private var gateway: GatewayProcess?

    /// The gateway's log lines about the store, for a failure message.
    var storeErrors: String {
        (gateway?.child.stderr ?? "").split(separator: "\n").filter { $0.contains("unavailable") }.suffix(5)
            .joined(separator: "\n")
    }

    override func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    /// Two providers on one issuer (for linking), sessions on the cluster, no cache (every
    /// request reads Redis).
    func startClusterGateway() throws -> (JWTIssuer, URL) {
        cluster = try RedisClusterFixture()
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let seeds = cluster.ports.prefix(2).map { "127.0.0.1:\($0)" }.joined(separator: ",")
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }
                provider other { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }
                """,
            store: "redis-cluster://\(seeds)/", sessionExtra: "cache off;")
        // Ready once the slot map is known and every primary answers.
        let ready = waitUntil(timeout: 15, interval: 0.05) {
            (try? RawHTTPClient(port: base.port!).request("GET", "/readyz").status) == 200
        }
        XCTAssertTrue(ready, "the gateway never saw the cluster: \(gateway.child.stderr.suffix(3000))")
        self.gateway = gateway
        return (issuer, base)
    }

    /// `count` users signed in; their session cookies.
    func signInMany(_ count: Int, issuer: JWTIssuer, base: URL) throws -> [String] {
        try (0..<count).map { n in
            let browser = Browser()
            try issuer.loginAs(sub: "cluster-\(n)-\(UUID().uuidString.prefix(6))")
            try signInThroughIssuer(browser, base: base)
            return try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        }
    }

    /// Keys matching `pattern` on each running primary.
    func keys(_ pattern: String) throws -> [Int: [String]] {
        var found: [Int: [String]] = [:]
        for port in try cluster.primaries() {
            found[port] = try RedisClusterFixture.cli(port: port, ["--scan", "--pattern", pattern])
                .split(separator: "\n").map(String.init)
        }
        return found
    }

    func status(_ base: URL, _ cookie: String) throws -> Int {
        try RawHTTPClient(port: base.port!).request(
            "GET", "/app/x", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")]
        ).status
    }

    func testSessionsSpreadOverEveryPrimaryAndLinkingRunsOnOneSlot() throws {
        let (issuer, base) = try startClusterGateway()
        let cookies = try signInMany(24, issuer: issuer, base: base)
        for cookie in cookies { XCTAssertEqual(try status(base, cookie), 200) }
        let sessions = try keys("session:*")
        print("cluster: session keys per primary \(sessions.mapValues(\.count).sorted { $0.key < $1.key })")
        XCTAssertEqual(sessions.count, 3)
        for (port, list) in sessions { XCTAssertFalse(list.isEmpty, "no session landed on primary \(port)") }
        XCTAssertEqual(sessions.values.map(\.count).reduce(0, +), 24)

        // Sign in as one user twice with idp, link "other" on the first browser (its session is
        // then signed in with other), unlink idp: the second browser's session (signed in with
        // idp, on some other slot) ends, the first stays. Each script ran on the {users} slot.
        let browser = Browser()
        let second = Browser()
        try issuer.loginAs(sub: "linker-\(UUID().uuidString.prefix(6))")
        try signInThroughIssuer(browser, base: base)
        try signInThroughIssuer(second, base: base)
        let link = try browser.follow(
            URL(string: "/auth/other?link=1&next=/app/", relativeTo: base)!.absoluteURL, headers: ownPage)
        XCTAssertEqual(link.last?.response.status, 200)
        let me = try browser.request("GET", URL(string: "/auth/me", relativeTo: base)!.absoluteURL).response.text
        XCTAssertTrue(me.contains("\"other\"") && me.contains("\"idp\""), me)
        let secondCookie = try XCTUnwrap(second.cookies(for: base)["__gateway"])
        XCTAssertEqual(try status(base, secondCookie), 200)
        func unlink() throws -> Int {
            try browser.request(
                "POST", URL(string: "/auth/identities/idp/unlink", relativeTo: base)!.absoluteURL,
                headers: [("Origin", base.absoluteString), ("Accept", "application/json")]
            ).response.status
        }
        XCTAssertEqual(try unlink(), 200)
        XCTAssertEqual(try unlink(), 404, "the identity is gone")
        XCTAssertEqual(try status(base, secondCookie), 401, "a session signed in with the unlinked identity ends")
        let cookie = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        XCTAssertEqual(try status(base, cookie), 200)
        // Every identity-graph key shares the {users} slot, so one primary holds them all.
        let graph = try keys("{users}*").filter { !$0.value.isEmpty }
        XCTAssertEqual(graph.count, 1, "identity graph keys on \(graph.keys.sorted())")
        XCTAssertTrue(graph.values.first?.contains { $0.hasPrefix("{users}user:") } == true)
        XCTAssertTrue(graph.values.first?.contains { $0.hasPrefix("{users}identity:idp:") } == true)
    }

    func testReshardingSlotsWithLiveSessionsWhileRequestsRun() throws {
        let (issuer, base) = try startClusterGateway()
        let cookies = try signInMany(30, issuer: issuer, base: base)
        let load = ClusterLoad(port: base.port!, cookies: cookies)
        XCTAssertTrue(waitUntil(timeout: 10) { load.counts[200, default: 0] >= 50 }, "the load runs")
        // Move every slot that holds a session from its primary to the next one.
        let primaries = try cluster.primaries()
        var moved = 0
        for (port, list) in try keys("session:*") {
            let target = primaries[(primaries.firstIndex(of: port)! + 1) % primaries.count]
            for slot in Set(try list.map { try cluster.keySlot($0) }) {
                try cluster.migrate(slot: slot, from: port, to: target)
                moved += 1
            }
        }
        Thread.sleep(forTimeInterval: 1)
        let samples = load.stop()
        let during = samples.filter { $0.status != 200 }
        print("cluster resharding: \(moved) slots moved; \(ClusterLoad.summary(samples))")
        XCTAssertGreaterThanOrEqual(moved, 20)
        XCTAssertEqual(
            during.count, 0, "requests failed during the resharding: \(ClusterLoad.summary(samples))\n\(storeErrors)")
        for cookie in cookies { XCTAssertEqual(try status(base, cookie), 200) }
    }
}

extension RedisClusterTests {
    /// Two gateways with the session cache on one cluster: a sign-out on one ends the session
    /// on the other within a second (the PUBLISH reaches the other's subscriber on its node).
    func testASignOutOnOneInstanceEndsTheCachedSessionOnAnotherWithinASecond() throws {
        cluster = try RedisClusterFixture()
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let provider = "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }"
        let store = { (ports: ArraySlice<Int>) in
            "redis-cluster://" + ports.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/"
        }
        let (_, baseA) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider, store: store(cluster.ports[0...1]))
        let (_, baseB) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider, store: store(cluster.ports[2...3]),
            sessionExtra: "cache 5s;")
        for base in [baseA, baseB] {
            XCTAssertTrue(
                waitUntil(timeout: 15, interval: 0.05) {
                    (try? RawHTTPClient(port: base.port!).request("GET", "/readyz").status) == 200
                })
        }
        let browser = Browser()
        try issuer.loginAs(sub: "cache-\(UUID().uuidString.prefix(8))")
        try signInThroughIssuer(browser, base: baseA)
        let cookie = try XCTUnwrap(browser.cookies(for: baseA)["__gateway"])
        XCTAssertEqual(try status(baseB, cookie), 200)
        // Delete the session behind the caches' back (no PUBLISH): B still serves its copy, so
        // the cache is on and its channel up; only the sign-out's announcement can evict it.
        let sessionKeys = try keys("session:*").values.flatMap { $0 }
        XCTAssertEqual(sessionKeys.count, 1)
        try RedisClusterFixture.cli(port: cluster.ports[0], ["-c", "DEL", sessionKeys[0]])
        XCTAssertEqual(try keys("session:*").values.flatMap { $0 }.count, 0)
        XCTAssertEqual(try status(baseB, cookie), 200, "cached on B")
        let out = try browser.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: baseA)!.absoluteURL,
            headers: [("Origin", baseA.absoluteString), ("Sec-Fetch-Site", "same-origin")])
        XCTAssertEqual(out.response.status, 302)
        let start = Date()
        let ended = waitUntil(timeout: 5, interval: 0.02) { (try? self.status(baseB, cookie)) == 401 }
        let elapsed = Date().timeIntervalSince(start)
        print("cluster: sign-out on one instance refused on the other after \(Int(elapsed * 1000)) ms")
        XCTAssertTrue(ended)
        XCTAssertLessThan(elapsed, 1.0)
    }
}
