// The Python interpreter the fixture servers run under, found once per test process, and the
// error a fixture that cannot start throws. Shared by the test targets that run Python fixtures.
import Foundation

public enum TestPython {
    /// `GATEWAY_TEST_PYTHON` (deploy/test points it at .build-venv), or the real interpreter
    /// behind `python3`: a pyenv shim starts Python as its child, and killing the shim by PID
    /// would orphan the server.
    public static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["GATEWAY_TEST_PYTHON"] { return path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !path.isEmpty ? path : nil
    }()
}

/// A fixture that could not be set up fails the test: deploy/test installs everything it needs,
/// so a missing tool is a broken environment, not a reason to skip.
public struct FixtureUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
