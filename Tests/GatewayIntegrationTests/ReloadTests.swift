// SIGHUP re-reads gateway.conf: under load without a failed request, invalid files kept out,
// listeners opened and closed, keep-alive connections moved between requests.
import Foundation
import GatewayTestSupport
import Glibc
import XCTest

final class ReloadTests: IntegrationTestCase {
    /// Upstream `a` serves `/`; `routed` adds `/moved/` on upstream `b` (or sends `/` there too).
    private func config(
        a: Upstream, b: Upstream, listen: [String] = ["127.0.0.1:0"], moved: Bool, rootOnB: Bool = false
    )
        -> String
    {
        """
        \(listen.map { "listen \($0);" }.joined(separator: "\n"))
        workers 2;
        access_log off;
        error_log stderr info;
        health_check_interval 200ms;
        upstream a { server 127.0.0.1:\(a.port); keepalive 16; }
        upstream b { server 127.0.0.1:\(b.port); keepalive 16; }
        location / { auth off; proxy_pass \(rootOnB ? "b" : "a"); }
        \(moved ? "location /moved/ { auth off; proxy_pass b; }" : "")
        """
    }

    /// How many requests `upstream` has answered (its own /stats, asked directly).
    private func requests(_ upstream: Upstream) throws -> Int {
        let client = try RawHTTPClient(port: upstream.port)
        let stats = try client.request("GET", "/stats").json()
        return (stats["requests"] as? Int) ?? -1
    }

    /// Rewrites the file, sends SIGHUP and waits for the reload's outcome line (the `count`th).
    private func reload(_ gateway: GatewayProcess, _ text: String, expect outcome: String, count: Int) throws {
        try text.write(to: gateway.configURL, atomically: false, encoding: .utf8)
        gateway.child.signal(SIGHUP)
        _ = try gateway.child.waitFor("reload \(count): \(outcome)", timeout: 10, in: { gateway.child.stderr }) {
            text in
            text.components(separatedBy: "\"msg\":\"\(outcome)").count - 1 >= count ? true : nil
        }
    }

    private func startPair() throws -> (Upstream, Upstream, GatewayProcess) {
        let a = try startUpstream()
        let b = try startUpstream()
        return (a, b, try startGateway(config(a: a, b: b, moved: false)))
    }

    func testTenReloadsUnderLoadFailNoRequestAndEachChangeTakesEffect() throws {
        let (a, b, gateway) = try startPair()
        let wrk = try FixtureProcess(
            executable: "/usr/bin/wrk", arguments: ["-t2", "-c16", "-d8s", "http://127.0.0.1:\(gateway.port)/"],
            directory: directory, name: "wrk")
        track(wrk)
        Thread.sleep(forTimeInterval: 0.5)
        for round in 1...10 {
            let moved = round % 2 == 1
            try reload(gateway, config(a: a, b: b, moved: moved), expect: "configuration reloaded", count: round)
            // The change is visible at once on a new connection: /moved/ reaches b only when routed there.
            let before = try requests(b)
            let response = try gateway.client().request("GET", "/moved/probe")
            XCTAssertEqual(response.status, 200, "round \(round)")
            XCTAssertEqual(
                try requests(b) - before, moved ? 2 : 1, "round \(round): /moved/ went to \(moved ? "b" : "a")")
            Thread.sleep(forTimeInterval: 0.4)
        }
        XCTAssertEqual(wrk.waitForExit(timeout: 30), 0, wrk.stderr)
        let report = wrk.stdout
        XCTAssertFalse(report.contains("Non-2xx or 3xx responses"), report)
        XCTAssertFalse(report.contains("Socket errors"), report)
        let served =
            report.split(separator: "\n").first { $0.contains("requests in") }
            .flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        XCTAssertGreaterThan(served, 500, report)
        XCTAssertFalse(gateway.child.stderr.contains("\"level\":\"error\""), gateway.child.stderr)
    }

    func testAnInvalidReloadLogsEveryProblemAndKeepsServingTheOldConfiguration() throws {
        let (a, b, gateway) = try startPair()
        let broken =
            config(a: a, b: b, moved: true)
            + "\nupstrem c { server 127.0.0.1:1; }\nlocation /x/ { proxy_pass nowhere; }\n"
        try reload(
            gateway, broken, expect: "configuration reload failed; the old configuration keeps serving", count: 1)
        let log = gateway.child.stderr
        let path = gateway.configURL.path
        XCTAssertTrue(log.contains("\"msg\":\"\(path):10:1: "), log)
        XCTAssertTrue(log.contains("did you mean"), log)
        XCTAssertTrue(log.contains("\"msg\":\"\(path):11:"), log)
        // Still the old configuration: /moved/ goes to a, and the process serves.
        let before = try requests(b)
        XCTAssertEqual(try gateway.client().request("GET", "/moved/x").status, 200)
        XCTAssertEqual(try requests(b) - before, 1)
        // A later valid reload still works.
        try reload(gateway, config(a: a, b: b, moved: true), expect: "configuration reloaded", count: 1)
        XCTAssertEqual(try gateway.client().request("GET", "/moved/x").status, 200)
        XCTAssertEqual(try requests(b) - before, 3)
    }

    func testARemovedListenerStopsAcceptingAndAnAddedOneStarts() throws {
        let (a, b, gateway) = try startPair()
        let added = try LoopbackPort.unused()
        try reload(
            gateway, config(a: a, b: b, listen: ["127.0.0.1:0", "127.0.0.1:\(added)"], moved: false),
            expect: "configuration reloaded", count: 1)
        XCTAssertEqual(try RawHTTPClient(port: added).request("GET", "/").status, 200)
        XCTAssertEqual(try gateway.client().request("GET", "/").status, 200, "the kept listener still accepts")
        try reload(
            gateway, config(a: a, b: b, listen: ["127.0.0.1:\(added)"], moved: false), expect: "configuration reloaded",
            count: 2)
        XCTAssertTrue(
            waitUntil(timeout: 5) { (try? RawHTTPClient(port: gateway.port)) == nil }, "the removed listener is closed")
        XCTAssertEqual(try RawHTTPClient(port: added).request("GET", "/").status, 200)
        XCTAssertTrue(gateway.child.stderr.contains("\"msg\":\"stopped listening\""), gateway.child.stderr)
    }

    func testAKeepAliveConnectionServesItsNextRequestOnTheNewConfiguration() throws {
        let (a, b, gateway) = try startPair()
        let client = try gateway.client()
        XCTAssertEqual(try client.request("GET", "/first").status, 200)
        // A request in flight during the reload finishes on the old configuration (upstream a).
        let slow = try gateway.client()
        try slow.send("GET /slow?ms=800 HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.2)
        let (aBefore, bBefore) = (try requests(a), try requests(b))
        try reload(gateway, config(a: a, b: b, moved: false, rootOnB: true), expect: "configuration reloaded", count: 1)
        XCTAssertEqual(try slow.readResponse().text, #"{"slow": true}"#)
        XCTAssertEqual(try client.request("GET", "/second").status, 200)
        XCTAssertEqual(try requests(b) - bBefore, 2, "the kept-alive connection's next request went to b")
        XCTAssertEqual(try requests(a) - aBefore, 1, "only a's /stats: the slow request was counted before")
    }

    /// Redis connections open from the gateway (CLIENT LIST, less redis-cli's own): per loop one
    /// for commands, plus one subscriber per process for the session cache's invalidations.
    private func redisClients(_ port: Int) throws -> Int {
        let cli = try FixtureProcess(
            executable: "/usr/bin/env", arguments: ["redis-cli", "-p", String(port), "client", "list"],
            directory: directory,
            name: "redis-cli")
        cli.waitForExit(timeout: 10)
        return cli.stdout.split(separator: "\n").filter { $0.contains("addr=") }.count - 1
    }

    func testASessionSurvivesReloadsOnTheSameStoreAndNoRedisConnectionLeaks() throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let redis = try redisPort(fresh: true)
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s3cret; }",
            store: "redis://127.0.0.1:\(redis)/0")
        try setMockUser(issuer: issuer, sub: "alice", claims: ["email": "alice@example.com"])
        let browser = Browser()
        XCTAssertEqual(try signIn(browser, base: base, sub: "alice").last?.response.status, 200)
        let page = URL(string: "/app/page", relativeTo: base)!.absoluteURL
        let original = try String(contentsOf: gateway.configURL, encoding: .utf8)
        for round in 1...5 {
            let text = original + "\nlocation /extra\(round)/ { auth off; proxy_pass app; }\n"
            try reload(gateway, text, expect: "configuration reloaded", count: round)
            XCTAssertEqual(try browser.request("GET", page).response.status, 200, "round \(round): still signed in")
        }
        // The subscriber of each generation closes with it; the loop's command connection is reused.
        XCTAssertTrue(
            waitUntil(timeout: 10, interval: 0.2) { (try? redisClients(redis)) == 2 },
            "one loop: one command connection reused by every reload, and the newest generation's subscriber")
        let discoveries = gateway.child.stderr.components(separatedBy: "OIDC discovery succeeded").count - 1
        XCTAssertEqual(discoveries, 1, "unchanged providers are reused, not discovered again")
        let start = URL(string: "/auth/sign_in", relativeTo: base)!.absoluteURL
        XCTAssertEqual(try browser.request("GET", start).response.status, 200, "sign-in starts at once after a reload")
        // Another store: the old connection closes once nothing uses the old generation.
        try reload(
            gateway, original.replacingOccurrences(of: "/0;", with: "/1;"), expect: "configuration reloaded", count: 6)
        // The new store's connection is made when its generation starts: until it is up the
        // gate answers 503 (store unavailable), as after any Redis outage.
        var status = 0
        XCTAssertTrue(
            waitUntil(timeout: 5, interval: 0.05) {
                status = (try? browser.request("GET", page).response.status) ?? 0
                return status != 503
            }, "the new store never came up")
        XCTAssertEqual(status, 302, "database 1 has no such session")
        XCTAssertTrue(
            waitUntil(timeout: 10, interval: 0.2) { (try? redisClients(redis)) == 2 },
            "the old connections closed: one command connection and one subscriber remain")
    }

    func testReloadCommandChecksTheFileBeforeSignalling() throws {
        let (a, b, gateway) = try startPair()
        func run(_ arguments: [String]) throws -> FixtureProcess {
            let cli = try FixtureProcess(
                executable: TestPaths.gatewayBinary, arguments: arguments, directory: directory, name: "reload-cli")
            cli.waitForExit()
            return cli
        }
        let pid = String(gateway.child.pid)
        let missing = try run(["--reload", "-c", gateway.configURL.path])
        XCTAssertNotEqual(missing.waitForExit(), 0)
        XCTAssertTrue(missing.stderr.contains("--pid"), missing.stderr)
        // An invalid file: the problems on stderr, exit 1, and the gateway is not signalled.
        try (config(a: a, b: b, moved: true) + "\nbogus;\n").write(
            to: gateway.configURL, atomically: false, encoding: .utf8)
        let invalid = try run(["--reload", "--pid", pid, "-c", gateway.configURL.path])
        XCTAssertEqual(invalid.waitForExit(), 1)
        XCTAssertTrue(invalid.stderr.contains("\(gateway.configURL.path):10:1: "), invalid.stderr)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertFalse(gateway.child.stderr.contains("reloading the configuration"), gateway.child.stderr)
        // A valid one: checked, signalled, reloaded.
        try config(a: a, b: b, moved: true).write(to: gateway.configURL, atomically: false, encoding: .utf8)
        let valid = try run(["--reload", "--pid", pid, "-c", gateway.configURL.path])
        XCTAssertEqual(valid.waitForExit(), 0, valid.stderr)
        _ = try gateway.child.waitFor("the reload", timeout: 10, in: { gateway.child.stderr }) {
            $0.contains("\"msg\":\"configuration reloaded\"") ? true : nil
        }
        let before = try requests(b)
        XCTAssertEqual(try gateway.client().request("GET", "/moved/x").status, 200)
        XCTAssertEqual(try requests(b) - before, 2)
    }

    func testAReloadThatFailsInALaterStepKeepsTheOldConfigurationWhole() throws {
        let (a, b, gateway) = try startPair()
        // Valid to --check, but the new listener's port is taken (by upstream a): binding fails.
        let text = config(a: a, b: b, listen: ["127.0.0.1:0", "127.0.0.1:\(a.port)"], moved: true)
        try reload(gateway, text, expect: "configuration reload failed; the old configuration keeps serving", count: 1)
        XCTAssertTrue(gateway.child.stderr.contains("cannot open a new listener"), gateway.child.stderr)
        let before = try requests(b)
        XCTAssertEqual(try gateway.client().request("GET", "/moved/x").status, 200)
        XCTAssertEqual(try requests(b) - before, 1, "still the old routes: /moved/ is not on b")
    }
}
