// The Python test upstream (Fixtures/upstream.py) on a free loopback port.
import Foundation

final class Upstream {
    let child: ChildProcess
    let port: Int

    init(directory: URL, idleCloseMillis: Int? = nil, closeOnReuse: Bool = false) throws {
        var arguments = [TestPaths.fixtures.appendingPathComponent("upstream.py").path, "--port", "0"]
        if let idleCloseMillis { arguments += ["--idle-close-ms", String(idleCloseMillis)] }
        if closeOnReuse { arguments.append("--close-on-reuse") }
        let child = try ChildProcess(
            executable: TestPaths.python, arguments: arguments, directory: directory,
            name: "upstream-\(UUID().uuidString.prefix(8))")
        self.child = child
        port = try child.waitFor("the upstream's port", in: { child.stdout }) { text in
            text.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { Int($0.dropFirst(5)) }
        }
    }

    func stop() { child.stop() }
}
