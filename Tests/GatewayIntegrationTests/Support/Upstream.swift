// The Python test upstream (Fixtures/upstream.py) on a free loopback port.
import Foundation
import GatewayTestSupport

final class Upstream {
    let child: FixtureProcess
    let port: Int

    /// `tls`: serve HTTPS with this certificate and key.
    init(directory: URL, idleCloseMillis: Int? = nil, closeOnReuse: Bool = false, tls: (cert: String, key: String)? = nil) throws {
        var arguments = [TestPaths.fixtures.appendingPathComponent("upstream.py").path, "--port", "0"]
        if let tls { arguments += ["--tls-cert", tls.cert, "--tls-key", tls.key] }
        if let idleCloseMillis { arguments += ["--idle-close-ms", String(idleCloseMillis)] }
        if closeOnReuse { arguments.append("--close-on-reuse") }
        let child = try FixtureProcess(
            executable: TestPaths.python, arguments: arguments, directory: directory,
            name: "upstream-\(UUID().uuidString.prefix(8))")
        self.child = child
        port = try child.waitForPort("the upstream's port")
    }

    func stop() { child.stop() }
}
