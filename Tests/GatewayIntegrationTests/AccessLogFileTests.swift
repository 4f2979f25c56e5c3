// The access log as a file over time: logrotate's move plus SIGUSR1, and a full disk.
import Foundation
import GatewayTestSupport
import Glibc
import XCTest

final class AccessLogFileTests: IntegrationTestCase {
    private func config(upstreamPort: Int, accessLog: String, extra: String = "") -> String {
        GatewayProcess.publicConfig(upstreamPort: upstreamPort, extra: extra)
            .replacingOccurrences(of: "access_log stdout;", with: "access_log \(accessLog);")
    }

    private func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func testSIGUSR1ReopensTheFileLogrotateMoved() throws {
        let upstream = try startUpstream()
        let path = directory.appendingPathComponent("access.log").path
        let gateway = try startGateway(config(upstreamPort: upstream.port, accessLog: path))
        XCTAssertEqual(try gateway.client().request("GET", "/before-rotation").status, 200)
        XCTAssertTrue(waitUntil(timeout: 10) { lines(path).contains { $0.contains("/before-rotation") } })

        XCTAssertEqual(rename(path, path + ".1"), 0)
        gateway.child.signal(SIGUSR1)
        _ = try gateway.child.waitFor("the reopen", in: { gateway.child.stderr }) {
            $0.contains("\"msg\":\"log reopened\"") ? true : nil
        }
        XCTAssertEqual(try gateway.client().request("GET", "/after-rotation").status, 200)
        XCTAssertTrue(waitUntil(timeout: 10) { lines(path).contains { $0.contains("/after-rotation") } })

        let rotated = lines(path + ".1")
        XCTAssertTrue(rotated.contains { $0.contains("/before-rotation") })
        XCTAssertFalse(rotated.contains { $0.contains("/after-rotation") })
        XCTAssertFalse(lines(path).contains { $0.contains("/before-rotation") })
        // The process serves on, and SIGUSR1 did not end it.
        XCTAssertEqual(try gateway.client().request("GET", "/still-up").status, 200)
    }

    func testAFullDiskDropsAndCountsLinesWhileRequestsAreServed() throws {
        let upstream = try startUpstream()
        // /dev/full fails every write with ENOSPC, as a full file system does.
        let gateway = try startGateway(
            config(upstreamPort: upstream.port, accessLog: "/dev/full", extra: "metrics_listen 127.0.0.1:0;"))
        let port = try gateway.metricsPort()
        let client = try gateway.client()
        for i in 0..<20 {
            XCTAssertEqual(try client.request("GET", "/item/\(i)").status, 200)
        }
        let series = "gateway_log_lines_dropped_total{log=\"access\"}"
        var dropped = 0.0
        XCTAssertTrue(
            try waitUntil(timeout: 10, interval: 0.1) {
                dropped = try GatewayProcess.scrape(port).value(series) ?? 0
                return dropped >= 20
            }, "dropped lines counted: \(dropped)")
        // The error log says so (at most once per report interval) and names the cause.
        let warning = try gateway.child.waitFor("the dropped-lines warning", timeout: 20, in: { gateway.child.stderr }) {
            text in text.split(separator: "\n").first { $0.contains("\"msg\":\"log lines dropped\"") }
        }
        XCTAssertTrue(warning.contains("No space left on device"), String(warning))
        XCTAssertEqual(try client.request("GET", "/after").status, 200)
    }
}

extension AccessLogFileTests {
    /// deploy/logrotate/gateway with the real logrotate: only the log folder and the signal's
    /// target (systemd's unit here, the test's process there) are substituted.
    func testTheShippedLogrotateConfigRotatesAndTheGatewayWritesOn() throws {
        let upstream = try startUpstream()
        let path = directory.appendingPathComponent("access.log").path
        let gateway = try startGateway(
            GatewayProcess.publicConfig(upstreamPort: upstream.port)
                .replacingOccurrences(of: "access_log stdout;", with: "access_log \(path);"))
        XCTAssertEqual(try gateway.client().request("GET", "/before-rotation").status, 200)
        XCTAssertTrue(waitUntil(timeout: 10) { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("/before-rotation") })

        let shipped = try String(
            contentsOf: TestPaths.root.appendingPathComponent("deploy/logrotate/gateway"), encoding: .utf8)
        let signal = "systemctl kill --signal=USR1 --kill-whom=main gateway.service"
        XCTAssertTrue(shipped.contains("/var/log/gateway/*.log {") && shipped.contains(signal))
        let config = shipped.replacingOccurrences(of: "/var/log/gateway/", with: directory.path + "/")
            .replacingOccurrences(of: signal, with: "kill -USR1 \(gateway.child.pid)")
        let configURL = directory.appendingPathComponent("logrotate.conf")
        try config.write(to: configURL, atomically: false, encoding: .utf8)
        let rotate = Process()
        rotate.executableURL = URL(fileURLWithPath: "/usr/sbin/logrotate")
        rotate.arguments = ["-f", "-s", directory.appendingPathComponent("logrotate.state").path, configURL.path]
        try rotate.run()
        rotate.waitUntilExit()
        XCTAssertEqual(rotate.terminationStatus, 0)

        _ = try gateway.child.waitFor("the reopen", in: { gateway.child.stderr }) {
            $0.contains("\"msg\":\"log reopened\"") ? true : nil
        }
        XCTAssertEqual(try gateway.client().request("GET", "/after-rotation").status, 200)
        XCTAssertTrue(waitUntil(timeout: 10) { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("/after-rotation") })
        // delaycompress: the first rotation is access.log.1, uncompressed, with the old lines only.
        let rotated = try String(contentsOfFile: path + ".1", encoding: .utf8)
        XCTAssertTrue(rotated.contains("/before-rotation"))
        XCTAssertFalse(rotated.contains("/after-rotation"))
    }
}
