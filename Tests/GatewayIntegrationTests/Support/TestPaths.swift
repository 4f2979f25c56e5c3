// Where the built binary and the fixtures are, found from this file's path.
import Foundation
import GatewayTestSupport

enum TestPaths {
    /// The repository root: three levels above this file.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let fixtures = root.appendingPathComponent("Tests/GatewayIntegrationTests/Fixtures")

    /// `GATEWAY_BIN`, or the `gateway` built next to this test bundle.
    static var gatewayBinary: String {
        if let path = ProcessInfo.processInfo.environment["GATEWAY_BIN"] { return path }
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("gateway").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        for config in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(config)/gateway").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/gateway").path
    }

    /// The real Python interpreter (see `TestPython`), not a launcher shim.
    static let python: String = TestPython.path ?? "/usr/bin/python3"

    static func temporaryDirectory() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
