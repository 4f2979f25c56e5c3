// ID tokens that must not sign anybody in, from a provider that misbehaves on purpose; and Redis loss.
import Foundation
import GatewayTestSupport
import XCTest

final class SignInRejectionTests: IntegrationTestCase {
    private func rogue(_ mode: String) throws -> String {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [TestPaths.fixtures.appendingPathComponent("rogue_oidc.py").path, "--port", "0", "--mode", mode],
            directory: directory, name: "rogue-\(mode)")
        track(child)
        let port = try child.waitForPort("the rogue provider")
        return "http://127.0.0.1:\(port)"
    }

    private func attempt(mode: String) throws -> Int {
        let issuer = try rogue(mode)
        let upstream = try startUpstream()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider rogue { type oidc; issuer \(issuer); client_id gateway-test; client_secret x; }",
            store: "memory")
        let browser = Browser()
        // Discovery runs in the background: wait until the start endpoint redirects.
        var start: Browser.Hop?
        try waitUntil(timeout: 10, interval: 0.05) {
            let hop = try browser.request("GET", URL(string: "/auth/rogue?next=/app/", relativeTo: base)!.absoluteURL)
            if hop.response.status == 302 { start = hop }
            return start != nil
        }
        let authorize = try XCTUnwrap(start?.location, "the provider never became ready: \(gateway.child.stderr)")
        let back = try browser.request("GET", authorize)
        let callback = try browser.request("GET", try XCTUnwrap(back.location))
        if callback.response.status == 302 {
            XCTAssertNotNil(browser.cookies(for: base)["__gateway"])
        } else {
            XCTAssertNil(browser.cookies(for: base)["__gateway"], "\(mode): a session cookie was set")
        }
        return callback.response.status
    }

    func testGoodTokenSignsIn() throws { XCTAssertEqual(try attempt(mode: "good"), 302) }
    func testWrongNonceIsRefused() throws { XCTAssertEqual(try attempt(mode: "wrong_nonce"), 401) }
    func testExpiredTokenIsRefused() throws { XCTAssertEqual(try attempt(mode: "expired"), 401) }
    func testAlgNoneIsRefused() throws { XCTAssertEqual(try attempt(mode: "alg_none"), 401) }
    func testUnknownKeyIsRefused() throws { XCTAssertEqual(try attempt(mode: "unknown_kid"), 401) }
    func testHS256WithThePublicKeyIsRefused() throws { XCTAssertEqual(try attempt(mode: "hs256"), 401) }
    func testWrongAudienceIsRefused() throws { XCTAssertEqual(try attempt(mode: "wrong_aud"), 401) }

    func testRedisLossGives503ThenRecoversAndSessionsSurviveARestart() throws {
        let redisDir = directory.appendingPathComponent("redis-aof")
        let port = closedPort()
        try startRedis(port: port, appendOnly: true, directory: redisDir)
        let issuer = try startMockProvider()
        let upstream = try startUpstream()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret x; }",
            store: "redis://127.0.0.1:\(port)/0")
        let browser = Browser()
        try signIn(browser, base: base, path: "/app/", sub: "ivy")
        let cookie = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        func get(_ path: String) throws -> Int {
            try RawHTTPClient(port: base.port!).request("GET", path, headers: [("Cookie", "__gateway=\(cookie)")]).status
        }
        XCTAssertEqual(try get("/app/x"), 200)

        // Redis goes away: protected paths 503, public ones still work, readyz names Redis.
        // Under load: four clients keep asking while Redis goes away and comes back.
        let load = LoadLoop(port: base.port!, cookie: cookie, clients: 4)
        load.start()
        XCTAssertTrue(waitUntil(timeout: 10) { load.count(of: 200) > 0 }, "the load never got through")
        redisServer(on: port)?.signal(SIGTERM)
        _ = redisServer(on: port)?.waitForExit()
        var statuses: [Int] = []
        for _ in 0..<20 { statuses.append(try get("/app/x")) }
        XCTAssertTrue(statuses.allSatisfy { $0 == 503 }, "\(statuses)")
        XCTAssertEqual(try get("/public/x"), 200)
        var ready = try RawHTTPClient(port: base.port!).request("GET", "/readyz")
        try waitUntil(timeout: 5, interval: 0.05) {
            ready = try RawHTTPClient(port: base.port!).request("GET", "/readyz")
            return ready.status == 503
        }
        XCTAssertEqual(ready.status, 503)
        XCTAssertTrue(ready.text.contains("redis"), ready.text)

        // Redis returns (with its append-only file): the same cookie works again.
        try startRedis(port: port, appendOnly: true, directory: redisDir)
        let recovered = try waitUntil(timeout: 15, interval: 0.1) { try get("/app/x") == 200 }
        XCTAssertTrue(recovered, "no recovery after Redis came back: \(gateway.child.stderr.suffix(2000))")
        let seen = load.stop()
        XCTAssertTrue(gateway.child.isRunning, "the gateway died under load")
        XCTAssertEqual(seen.errors, 0, "connection errors under load: \(seen)")
        XCTAssertEqual(Set(seen.statuses.keys).subtracting([200, 503]), [], "\(seen)")
        XCTAssertGreaterThan(seen.statuses[200] ?? 0, 0)
        XCTAssertGreaterThan(seen.statuses[503] ?? 0, 0)
    }

    private func redisServer(on port: Int) -> FixtureProcess? { redisChildren[port] }
}

/// Clients requesting a protected path in a loop until stopped (bounded: 60 s, 100,000 requests).
final class LoadLoop: @unchecked Sendable {
    private let port: Int
    private let cookie: String
    private let clients: Int
    private let lock = NSLock()
    private var statuses: [Int: Int] = [:]
    private var errors = 0
    private var running = true
    private var threads: [Thread] = []

    init(port: Int, cookie: String, clients: Int) {
        self.port = port
        self.cookie = cookie
        self.clients = clients
    }

    func start() {
        for _ in 0..<clients {
            let thread = Thread { [self] in
                let deadline = Date().addingTimeInterval(60)
                var sent = 0
                while isRunning && Date() < deadline && sent < 100_000 / clients {
                    sent += 1
                    let status = try? RawHTTPClient(port: port, timeout: 5).request(
                        "GET", "/app/load", headers: [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")]
                    ).status
                    lock.lock()
                    if let status { statuses[status, default: 0] += 1 } else { errors += 1 }
                    lock.unlock()
                }
            }
            threads.append(thread)
            thread.start()
        }
    }

    /// How many answers with `status` the clients have had so far.
    func count(of status: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return statuses[status] ?? 0
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    func stop() -> (statuses: [Int: Int], errors: Int) {
        lock.lock()
        running = false
        lock.unlock()
        // Each client's requests time out after 5 s, so a thread ends well within 30 s.
        waitUntil(timeout: 30, interval: 0.02) { !threads.contains { $0.isExecuting } }
        lock.lock()
        defer { lock.unlock() }
        return (statuses, errors)
    }
}
