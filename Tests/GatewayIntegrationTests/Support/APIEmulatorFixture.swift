// Fixtures/api_emulator.py (GitHub, Facebook, generic OAuth 2) for integration tests.
import Foundation
import GatewayTestSupport
import XCTest

extension IntegrationTestCase {
    /// Starts the emulator (stopped by PID at teardown); returns its port.
    func startAPIEmulator() throws -> Int {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: ["-u", TestPaths.fixtures.appendingPathComponent("api_emulator.py").path],
            directory: directory, name: "api-emulator")
        track(child)
        return try child.waitForPort("the API emulator's port")
    }

    /// `PUT /users/NAME` at the emulator on `port`.
    func putAPIUser(port: Int, _ name: String, _ document: [String: Any]) throws {
        let response = try RawHTTPClient(port: port).request(
            "PUT", "/users/" + name, headers: [("Content-Type", "application/json")],
            body: Array(try JSONSerialization.data(withJSONObject: document)), host: "127.0.0.1:\(port)")
        XCTAssertEqual(response.status, 204)
    }
}
