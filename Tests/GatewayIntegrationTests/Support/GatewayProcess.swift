// The real `gateway` binary with a generated config, on a port it picks (listen 127.0.0.1:0).
import Foundation
import GatewayTestSupport
import XCTest

final class GatewayProcess {
    let child: FixtureProcess
    let port: Int
    let directory: URL
    let configURL: URL

    /// Starts the gateway with `config` (which should `listen 127.0.0.1:0;`) and waits until it listens.
    /// `fileLimit` runs it under `prlimit --nofile=N:N` (prlimit execs it, so the PID is the gateway's).
    init(config: String, directory: URL, environment: [String: String] = [:], fileLimit: Int? = nil) throws {
        self.directory = directory
        configURL = directory.appendingPathComponent("gateway-\(UUID().uuidString.prefix(8)).conf")
        try config.write(to: configURL, atomically: false, encoding: .utf8)
        var executable = TestPaths.gatewayBinary
        var arguments = ["-c", configURL.path]
        if let fileLimit {
            arguments = ["--nofile=\(fileLimit):\(fileLimit)", executable] + arguments
            executable = "/usr/bin/prlimit"
        }
        let child = try FixtureProcess(
            executable: executable, arguments: arguments, directory: directory,
            name: configURL.deletingPathExtension().lastPathComponent)
        self.child = child
        port = try child.waitFor("the gateway to listen", in: { child.stderr }) { text in
            for line in text.split(separator: "\n") where line.contains("\"msg\":\"listening\"") {
                if let range = line.range(of: "\"address\":\"127.0.0.1:") {
                    let rest = line[range.upperBound...]
                    return Int(rest.prefix { $0.isNumber })
                }
            }
            return nil
        }
    }

    /// A config with one upstream and public locations; `extra` goes at the top level.
    static func publicConfig(upstreamPort: Int, workers: Int = 1, extra: String = "", upstreamExtra: String = "", locations: String? = nil) -> String {
        """
        listen 127.0.0.1:0;
        workers \(workers);
        access_log stdout;
        error_log stderr debug;
        health_check_interval 200ms;
        \(extra)
        upstream app {
            server 127.0.0.1:\(upstreamPort);
            keepalive 16;
            \(upstreamExtra)
        }
        \(locations ?? "location / { auth off; proxy_pass app; }")
        """
    }

    /// Both logs once every access line so far is written. Each loop hands its lines to the file
    /// in batches (at least every tick), in order: a marker request's line appearing means the
    /// lines before it are out too (the gateways these tests check run one worker).
    func settledLogs() throws -> String {
        let marker = "/healthz?log-mark=\(UUID().uuidString)"
        _ = try client().request("GET", marker)
        _ = try child.waitFor("the marker's access line", in: { child.stdout }) { $0.contains(marker) ? true : nil }
        return child.stdout + child.stderr
    }

    /// A raw client; `timeout` bounds each send and receive (a loaded CI machine needs slack).
    func client(timeout: Int = 20) throws -> RawHTTPClient { try RawHTTPClient(port: port, timeout: timeout) }

    func stop() { child.stop() }
}
