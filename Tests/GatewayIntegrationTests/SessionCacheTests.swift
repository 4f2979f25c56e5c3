// The per-loop session cache with two gateways on one real Redis: Redis commands per
// authenticated request with the cache on and off, and a sign-out on one instance ending the
// session on the other within a second (Redis pub/sub).
import Foundation
import GatewayTestSupport
import XCTest

final class SessionCacheTests: IntegrationTestCase {
    private let provider = { (issuer: String) in
        "provider idp { type oidc; issuer \(issuer); client_id gateway; client_secret x; }"
    }

    /// `GET` calls Redis has served so far (`INFO commandstats`): a session load is one GET.
    private func redisGets(port: Int) throws -> Int {
        let cli = try FixtureProcess(
            executable: "/usr/bin/env", arguments: ["redis-cli", "-p", String(port), "INFO", "commandstats"],
            directory: directory, name: "redis-cli")
        cli.waitForExit(timeout: 10)
        guard let line = cli.stdout.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_get:") }),
            let calls = line.split(separator: "=").dropFirst().first?.split(separator: ",").first
        else { return 0 }
        return Int(calls) ?? 0
    }

    /// Requests with the session's cookie, each on a new connection (any loop may serve it).
    private func requests(_ count: Int, to base: URL, cookie: String) throws -> [Int] {
        try (0..<count).map { _ in
            try RawHTTPClient(port: base.port!).request(
                "GET", "/app/x", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")]
            ).status
        }
    }

    func testTheCacheSavesRedisRoundTripsAndASignOutElsewhereEndsTheSessionWithinASecond() throws {
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let redis = try redisPort()
        let store = "redis://127.0.0.1:\(redis)/0"
        let (a, baseA) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider(issuer.issuer), store: store)
        let (_, baseB) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider(issuer.issuer), store: store, sessionExtra: "cache 5s;")
        let (_, baseOff) = try startSignInGateway(
            upstreamPort: upstream.port, providers: provider(issuer.issuer), store: store, sessionExtra: "cache off;")
        _ = a
        let browser = Browser()
        try issuer.loginAs(sub: "cache-\(UUID().uuidString.prefix(8))")
        try signInThroughIssuer(browser, base: baseA)
        let cookie = try XCTUnwrap(browser.cookies(for: baseA)["__gateway"])

        // Cache on: after the first load, 50 requests cost (nearly) no Redis command.
        XCTAssertEqual(try requests(1, to: baseB, cookie: cookie), [200])
        var before = try redisGets(port: redis)
        XCTAssertEqual(Set(try requests(50, to: baseB, cookie: cookie)), [200])
        let cached = try redisGets(port: redis) - before
        // Cache off: one GET per request.
        before = try redisGets(port: redis)
        XCTAssertEqual(Set(try requests(50, to: baseOff, cookie: cookie)), [200])
        let uncached = try redisGets(port: redis) - before
        print("redis GETs per authenticated request: cache on \(Double(cached) / 50), off \(Double(uncached) / 50)")
        XCTAssertLessThanOrEqual(cached, 2, "the cache should answer these")
        XCTAssertGreaterThanOrEqual(uncached, 50)

        // Sign out on A: B, which has the session cached, refuses it within a second.
        let out = try browser.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: baseA)!.absoluteURL,
            headers: [("Origin", baseA.absoluteString), ("Sec-Fetch-Site", "same-origin")])
        XCTAssertEqual(out.response.status, 302)
        let start = Date()
        let ended = waitUntil(timeout: 5, interval: 0.02) { (try? requests(1, to: baseB, cookie: cookie)) == [401] }
        let elapsed = Date().timeIntervalSince(start)
        print("sign-out on one instance refused on the other after \(Int(elapsed * 1000)) ms")
        XCTAssertTrue(ended)
        XCTAssertLessThan(elapsed, 1.0)
    }
}
