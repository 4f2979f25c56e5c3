// The Python interpreter the fixture servers run under, found once for the whole target.
import Foundation

enum TestPython {
    /// `GATEWAY_TEST_PYTHON` (deploy/test points it at .build-venv), or the real interpreter
    /// behind `python3`: a pyenv shim starts Python as its child, and killing the shim by PID
    /// would orphan the server.
    static let path: String? = {
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
