// /metrics on its own listener: exact counter deltas after known traffic, and promtool's verdict.
import Foundation
import Glibc
import XCTest

final class MetricsTests: IntegrationTestCase {
    private static let locations = """
        location /api/ { auth off; proxy_pass app; }
        location / { auth off; proxy_pass app; }
        """

    func testRequestCountersMoveByExactlyTheTrafficSent() throws {
        let upstream = try startUpstream()
        let gateway = try startGateway(
            GatewayProcess.publicConfig(
                upstreamPort: upstream.port, workers: 2, extra: "metrics_listen 127.0.0.1:0;",
                upstreamExtra: "read_timeout 300ms;", locations: Self.locations))
        let port = try gateway.metricsPort()
        let before = try GatewayProcess.scrape(port)
        // Several connections, so both loops are likely to serve some.
        for _ in 0..<4 {
            XCTAssertEqual(try gateway.client().request("GET", "/api/items").status, 200)
        }
        let client = try gateway.client()
        for _ in 0..<2 {
            XCTAssertEqual(try client.request("POST", "/status?code=201", body: []).status, 201)
        }
        XCTAssertEqual(try gateway.client().request("GET", "/slow?ms=2000").status, 504)
        // Refused before its head parsed: no location, no method.
        let ambiguous = try gateway.client()
        try ambiguous.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
        XCTAssertEqual(try ambiguous.readResponse().status, 400)
        let after = try GatewayProcess.scrape(port)

        let requests = "gateway_http_requests_total"
        XCTAssertEqual(after.delta(before, "\(requests){location=\"/api/\",method=\"GET\",code=\"200\"}"), 4)
        XCTAssertEqual(after.delta(before, "\(requests){location=\"/\",method=\"POST\",code=\"201\"}"), 2)
        XCTAssertEqual(after.delta(before, "\(requests){location=\"/\",method=\"GET\",code=\"504\"}"), 1)
        XCTAssertEqual(after.delta(before, "\(requests){location=\"none\",method=\"other\",code=\"400\"}"), 1)
        XCTAssertEqual(after.sum(prefix: requests + "{") - before.sum(prefix: requests + "{"), 8)
        let duration = "gateway_http_request_duration_seconds"
        XCTAssertEqual(after.delta(before, "\(duration)_count{location=\"/api/\"}"), 4)
        XCTAssertEqual(after.delta(before, "\(duration)_count{location=\"/\"}"), 3)
        XCTAssertEqual(after.delta(before, "\(duration)_bucket{location=\"/api/\",le=\"+Inf\"}"), 4)
        // The 504 never got a response head: six upstream answers were timed.
        XCTAssertEqual(after.delta(before, "gateway_upstream_request_duration_seconds_count{upstream=\"app\"}"), 6)
        XCTAssertEqual(
            after.delta(before, "gateway_upstream_errors_total{upstream=\"app\",kind=\"timeout\"}"), 1, after.text)
        XCTAssertEqual(after.value("gateway_build_info{version=\"0.1.0\"}"), 1)
        XCTAssertGreaterThan(after.value("process_resident_memory_bytes") ?? 0, 0)
        XCTAssertGreaterThan(after.value("process_open_fds") ?? 0, 0)
        XCTAssertNotNil(after.value("gateway_upstream_connections_idle{upstream=\"app\"}"))
        try checkWithPromtool(after.text)
    }

    func testMetricsAreNotServedOnThePublicListenerAndOnlyGetIsAnswered() throws {
        let (_, gateway) = try startPair(extra: "metrics_listen 127.0.0.1:0;")
        let port = try gateway.metricsPort()
        // The public listener proxies /metrics like any path (the echo upstream answers).
        let proxied = try gateway.client().request("GET", "/metrics")
        XCTAssertEqual(try proxied.json()["path"] as? String, "/metrics")
        XCTAssertFalse(proxied.text.contains("gateway_http_requests_total"))
        let metrics = try RawHTTPClient(port: port)
        XCTAssertEqual(try metrics.request("GET", "/other").status, 404)
        XCTAssertEqual(try RawHTTPClient(port: port).request("POST", "/metrics", body: []).status, 405)
        XCTAssertEqual(try RawHTTPClient(port: port).request("HEAD", "/metrics").status, 200)
    }

    func testConnectFailuresAndRefusedConnectionsAreCounted() throws {
        let dead = closedPort()
        let gateway = try startGateway(
            """
            listen 127.0.0.1:0;
            workers 1;
            max_connections 1;
            metrics_listen 127.0.0.1:0;
            error_log stderr debug;
            upstream app { server 127.0.0.1:\(dead); }
            location / { auth off; proxy_pass app; }
            """)
        let port = try gateway.metricsPort()
        let before = try GatewayProcess.scrape(port)
        let held = try gateway.client()
        XCTAssertEqual(try held.request("GET", "/").status, 502)
        // The held connection is the one max_connections allows: the next is closed at accept.
        let refused = try gateway.client()
        XCTAssertTrue(refused.isClosedByPeer())
        let after = try GatewayProcess.scrape(port)
        XCTAssertEqual(after.delta(before, "gateway_upstream_errors_total{upstream=\"app\",kind=\"connect\"}"), 1)
        XCTAssertEqual(after.delta(before, "gateway_connections_rejected_total{reason=\"max_connections\"}"), 1)
        XCTAssertEqual(after.value("gateway_connections_open"), 1)
        XCTAssertEqual(
            after.delta(before, "gateway_http_requests_total{location=\"/\",method=\"GET\",code=\"502\"}"), 1)
    }

    func testSignInsStoreCallsAndProviderCallsAreCounted() throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s3cret; }",
            store: "memory", extra: "metrics_listen 127.0.0.1:0;")
        let port = try gateway.metricsPort()
        try setMockUser(issuer: issuer, sub: "alice", claims: ["email": "alice@example.com", "email_verified": true])
        let before = try GatewayProcess.scrape(port)
        let browser = Browser()
        let landed = try XCTUnwrap(try signIn(browser, base: base, sub: "alice").last)
        XCTAssertEqual(landed.response.status, 200)
        let forged = try browser.request(
            "GET", URL(string: "/auth/mock/callback?code=x&state=forged", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(forged.response.status, 400)
        let after = try GatewayProcess.scrape(port)
        XCTAssertEqual(after.delta(before, "gateway_sign_ins_total{provider=\"mock\",outcome=\"success\"}"), 1)
        XCTAssertEqual(after.delta(before, "gateway_sign_ins_total{provider=\"mock\",outcome=\"state_mismatch\"}"), 1)
        XCTAssertEqual(after.value("gateway_sessions_active"), 1)
        XCTAssertEqual(after.delta(before, "gateway_session_store_duration_seconds_count{op=\"save\"}"), 1)
        XCTAssertEqual(after.delta(before, "gateway_session_store_duration_seconds_count{op=\"sign_in\"}"), 1)
        XCTAssertGreaterThanOrEqual(after.delta(before, "gateway_session_store_duration_seconds_count{op=\"load\"}"), 1)
        XCTAssertEqual(after.sum(prefix: "gateway_session_store_errors_total{"), 0)
        XCTAssertEqual(
            after.delta(before, "gateway_idp_request_duration_seconds_count{provider=\"mock\",endpoint=\"token\"}"), 1)
        try checkWithPromtool(after.text)
    }

    /// `promtool check metrics` parses the exposition and lints names, types and help.
    func testReloadsAreCountedAndRequestsStillCountAfterOne() throws {
        let upstream = try startUpstream()
        let text = GatewayProcess.publicConfig(
            upstreamPort: upstream.port, extra: "metrics_listen 127.0.0.1:0;", locations: Self.locations)
        let gateway = try startGateway(text)
        let port = try gateway.metricsPort()
        let before = try GatewayProcess.scrape(port)
        func reload(_ config: String, _ outcome: String, count: Int) throws {
            try config.write(to: gateway.configURL, atomically: false, encoding: .utf8)
            gateway.child.signal(SIGHUP)
            _ = try gateway.child.waitFor(outcome, timeout: 15, in: { gateway.child.stderr }) {
                $0.components(separatedBy: "\"msg\":\"\(outcome)").count - 1 >= count ? true : nil
            }
        }
        try reload(text, "configuration reloaded", count: 1)
        try reload(text + "\nnot_a_directive on;\n", "configuration reload failed", count: 1)
        XCTAssertEqual(try gateway.client().request("GET", "/api/after").status, 200)
        let after = try GatewayProcess.scrape(port)
        func delta(_ series: String) -> Double { (after.value(series) ?? 0) - (before.value(series) ?? 0) }
        XCTAssertEqual(delta(#"gateway_config_reloads_total{result="success"}"#), 1)
        XCTAssertEqual(delta(#"gateway_config_reloads_total{result="failure"}"#), 1)
        XCTAssertEqual(
            delta(#"gateway_http_requests_total{location="/api/",method="GET",code="200"}"#), 1,
            "a reloaded generation counts under the same labels")
    }

    private func checkWithPromtool(_ text: String) throws {
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let path = try XCTUnwrap(promtool, "promtool is missing (deploy/lib/install-deps.sh installs prometheus)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "promtool check metrics: \(said)")
    }
}
