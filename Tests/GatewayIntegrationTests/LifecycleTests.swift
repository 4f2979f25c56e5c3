// The command line, config checking, startup refusals and graceful shutdown.
import Foundation
import GatewayTestSupport
import XCTest

final class LifecycleTests: IntegrationTestCase {
    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try FixtureProcess(
            executable: TestPaths.gatewayBinary, arguments: arguments, directory: directory, name: "cli-\(UUID().uuidString.prefix(6))")
        let status = child.waitForExit()
        return (status, child.stdout, child.stderr)
    }

    func testCheckPrintsEveryProblemWithFileLineAndColumn() throws {
        let file = directory.appendingPathComponent("bad.conf")
        try """
        listen 127.0.0.1:99999;
        upstrem app { server 127.0.0.1:1; }
        location / { auth off; proxy_pass nowhere; }
        """.write(to: file, atomically: false, encoding: .utf8)
        let result = try run(["--check", "-c", file.path])
        XCTAssertEqual(result.status, 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertGreaterThanOrEqual(lines.count, 3, result.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(file.path):1:") }, result.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(file.path):2:1: ") && $0.contains("did you mean \"upstream\"") }, result.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(file.path):3:") && $0.contains("nowhere") }, result.stderr)
    }

    func testCheckAcceptsAValidFile() throws {
        let file = directory.appendingPathComponent("good.conf")
        try GatewayProcess.publicConfig(upstreamPort: 3000).write(to: file, atomically: false, encoding: .utf8)
        let result = try run(["--check", "-c", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testProtectedLocationWithoutSignInSettingsIsRefused() throws {
        let file = directory.appendingPathComponent("auth.conf")
        try """
        listen 127.0.0.1:0;
        upstream app { server 127.0.0.1:3000; }
        location / { proxy_pass app; }
        """.write(to: file, atomically: false, encoding: .utf8)
        for arguments in [["--check", "-c", file.path], ["-c", file.path]] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments)")
            XCTAssertTrue(result.stderr.contains("\(file.path):3:1: "), result.stderr)
            for needed in ["provider", "cookie_secret", "public_url"] {
                XCTAssertTrue(result.stderr.contains(needed), result.stderr)
            }
        }
    }

    func testVersionAndHelp() throws {
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--check"), help.stdout)
    }

    func testSigtermFinishesTheInFlightRequestThenExitsZero() throws {
        let (_, gateway) = try startPair(extra: "shutdown_timeout 5s;")
        let client = try gateway.client()
        try client.send("GET /slow?ms=800 HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.2)
        gateway.child.signal(SIGTERM)
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Connection"), "close", "a draining gateway closes after the response")
        XCTAssertEqual(gateway.child.waitForExit(timeout: 10), 0)
        XCTAssertThrowsError(try gateway.client(), "the listener is closed")
    }

    func testAccessLogHasOneJSONLinePerRequest() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        _ = try client.request("GET", "/logged?x=1")
        let line = try gateway.child.waitFor("the access line", in: { gateway.child.stdout }) { text in
            text.split(separator: "\n").first { $0.contains("/logged?x=1") }.map(String.init)
        }
        let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(entry["method"] as? String, "GET")
        XCTAssertEqual(entry["status"] as? Int, 200)
        XCTAssertNotNil(entry["duration_ms"])
        XCTAssertNotNil(entry["upstream_ms"])
        XCTAssertNotNil(entry["bytes"])
    }
}
