// The deploy files in deploy/ (systemd unit, container build and compose file, Kubernetes
// manifests) checked against the built binary and the configs they ship. The checks are in
// Fixtures/check_deploy_files.py (PyYAML, from deploy/test's venv); each test runs one class of
// it and fails with its output.
import Foundation
import XCTest

final class DeployFilesTests: XCTestCase {
    /// `systemd-analyze verify` and `security --offline` on deploy/systemd/gateway.service (with
    /// the built binary substituted), its hardening settings, and its ExecStartPre/ExecReload.
    func testSystemdUnit() throws { try runChecks("SystemdUnitTests") }

    /// deploy/container: the Dockerfile's stages and COPY sources, its user, port and
    /// HEALTHCHECK (run against a live gateway), its runtime packages against `ldd`, compose.yaml.
    func testContainerFiles() throws { try runChecks("ContainerTests") }

    /// deploy/kubernetes: probes, ports, mounts, env and Secret keys against the ConfigMap's
    /// gateway.conf, security context, resources, PodDisruptionBudget.
    func testKubernetesManifests() throws { try runChecks("KubernetesTests") }

    /// `gateway --check` on the container's and the ConfigMap's gateway.conf and on
    /// gateway.conf.example, with generated secrets (and the ConfigMap's Secret placeholders refused).
    func testShippedConfigsPassCheck() throws { try runChecks("ShippedConfigTests") }

    private func runChecks(_ testClass: String) throws {
        let binary = TestPaths.gatewayBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return XCTFail("no gateway binary at \(binary)")
        }
        let dir = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("output")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.python)
        process.arguments = [TestPaths.fixtures.appendingPathComponent("check_deploy_files.py").path, testClass]
        var environment = ProcessInfo.processInfo.environment
        environment["GATEWAY_BIN"] = binary
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, "check_deploy_files.py \(testClass):\n\(text)")
        XCTAssertTrue(text.contains("\nOK"), "check_deploy_files.py \(testClass) ran no test:\n\(text)")
    }
}
