// nginx or Caddy in front of the gateway, run from deploy/examples/ with this test's ports.
import Foundation
import GatewayTestSupport
import XCTest

enum FrontProxyKind: String {
    case nginx, caddy
}

extension IntegrationTestCase {
    /// An example file with each `(from, to)` replaced; every `from` must be there, so an edit
    /// of the example that the test no longer follows fails loudly instead of testing nothing.
    func example(_ name: String, replacing pairs: [(String, String)]) throws -> String {
        var text = try String(
            contentsOf: TestPaths.root.appendingPathComponent("deploy/examples/" + name), encoding: .utf8)
        for (from, to) in pairs {
            guard text.contains(from) else {
                throw TestFailure("deploy/examples/\(name) no longer contains \"\(from)\"")
            }
            text = text.replacingOccurrences(of: from, with: to)
        }
        return text
    }

    /// The example gateway config (deploy/examples/gateway-forward-auth.conf) with this test's
    /// front port, upstream, Redis and mock provider; waits for OIDC discovery.
    func startForwardAuthGateway(frontPort: Int, upstreamPort: Int, issuer: String, redisPort: Int) throws
        -> GatewayProcess
    {
        let config = try example(
            "gateway-forward-auth.conf",
            replacing: [
                (
                    "listen 127.0.0.1:4180;",
                    "listen 127.0.0.1:0;\nworkers 1;\naccess_log stdout;\nerror_log stderr debug;"
                ),
                ("127.0.0.1:8000", "127.0.0.1:\(frontPort)"),
                ("127.0.0.1:3000", "127.0.0.1:\(upstreamPort)"),
                ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:\(redisPort)/0"),
                ("${GATEWAY_COOKIE_SECRET}", "0123456789abcdef0123456789abcdef-test"),
                ("${OIDC_ISSUER}", issuer),
                ("${OIDC_CLIENT_ID}", "gateway-test"),
                ("${OIDC_CLIENT_SECRET}", "s3cret"),
            ])
        let gateway = try startGateway(config)
        _ = try gateway.child.waitFor("OIDC discovery", in: { gateway.child.stderr }) {
            $0.contains("OIDC discovery succeeded") ? true : nil
        }
        return gateway
    }

    /// Starts the proxy on `port` from its example file; stopped by PID at teardown.
    func startFrontProxy(_ kind: FrontProxyKind, port: Int, gatewayPort: Int, upstreamPort: Int) throws {
        let ports = [
            ("127.0.0.1:8000", "127.0.0.1:\(port)"), ("127.0.0.1:4180", "127.0.0.1:\(gatewayPort)"),
            ("127.0.0.1:3000", "127.0.0.1:\(upstreamPort)"),
        ]
        let dir = directory.appendingPathComponent(kind.rawValue)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let child: FixtureProcess
        switch kind {
        case .nginx:
            let site = dir.appendingPathComponent("site.conf")
            try example("nginx-auth-request.conf", replacing: ports).write(to: site, atomically: false, encoding: .utf8)
            // One process (no master/worker pair), so stopping it by PID stops all of nginx.
            let main = """
                master_process off;
                daemon off;
                pid \(dir.path)/nginx.pid;
                error_log \(dir.path)/error.log info;
                events { worker_connections 64; }
                http {
                    access_log \(dir.path)/access.log;
                    client_body_temp_path \(dir.path)/body;
                    proxy_temp_path \(dir.path)/proxy;
                    fastcgi_temp_path \(dir.path)/fastcgi;
                    uwsgi_temp_path \(dir.path)/uwsgi;
                    scgi_temp_path \(dir.path)/scgi;
                    include \(site.path);
                }
                """
            let conf = dir.appendingPathComponent("nginx.conf")
            try main.write(to: conf, atomically: false, encoding: .utf8)
            child = try FixtureProcess(
                executable: "/usr/sbin/nginx",
                arguments: ["-p", dir.path, "-e", dir.path + "/error.log", "-c", conf.path],
                directory: directory, name: "nginx")
        case .caddy:
            let file = dir.appendingPathComponent("Caddyfile")
            try example("Caddyfile-forward-auth", replacing: ports).write(to: file, atomically: false, encoding: .utf8)
            // env execs caddy, so the PID is caddy's; its data and config dirs stay in the temp dir.
            child = try FixtureProcess(
                executable: "/usr/bin/env",
                arguments: [
                    "HOME=\(dir.path)", "XDG_DATA_HOME=\(dir.path)/data", "XDG_CONFIG_HOME=\(dir.path)/config",
                    "caddy", "run", "--config", file.path, "--adapter", "caddyfile",
                ], directory: directory, name: "caddy")
        }
        track(child)
        _ = try child.waitFor("\(kind) to listen", in: { child.stderr + child.stdout }) { _ in
            (try? RawHTTPClient(port: port)) != nil ? true : nil
        }
    }
}
