// CI's short soak: deploy/soak with 50,000 authenticated requests on the binary under test (the
// full million is run by hand: docs/soak.md). The script does the checking; this reads its report.
import Foundation
import GatewayTestSupport
import XCTest

final class SoakTests: IntegrationTestCase {
    func testAShortSoakKeepsMemoryAndDescriptorsFlatWithNoFailedRequest() throws {
        let report = directory.appendingPathComponent("soak.json")
        let soak = try FixtureProcess(
            executable: "/bin/bash",
            arguments: [
                TestPaths.root.appendingPathComponent("deploy/soak").path, "--requests", "50000", "--json", report.path,
            ],
            environment: ["GATEWAY_BIN": TestPaths.gatewayBinary], directory: directory, name: "soak")
        track(soak)
        let status = soak.waitForExit(timeout: 240)
        print(soak.stdout)
        XCTAssertEqual(status, 0, "deploy/soak failed:\n\(soak.stdout)\n\(soak.stderr)")
        let data = try Data(contentsOf: report)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["passed"] as? Bool, true, "\(json)")
        XCTAssertGreaterThanOrEqual(json["requests"] as? Int ?? 0, 50_000)
        XCTAssertEqual(json["failed_requests"] as? Int, 0)
        XCTAssertEqual(json["http_5xx"] as? Int, 0)
        for mixed in ["sign_ins", "sign_outs", "reloads"] {
            XCTAssertGreaterThan(json[mixed] as? Int ?? 0, 0, "no \(mixed) were mixed in: \(json)")
        }
        let fds = try XCTUnwrap(json["fds"] as? [String: Int])
        XCTAssertLessThanOrEqual(fds["end"] ?? .max, fds["start"] ?? 0)
        XCTAssertLessThan(json["rss_growth_percent"] as? Double ?? 100, 10)
    }
}
