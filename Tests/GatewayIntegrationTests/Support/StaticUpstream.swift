// A one-process nginx serving one small static file: an upstream fast enough that a latency
// measured through the gateway is the gateway's, not a Python fixture's.
import Foundation
import GatewayTestSupport

final class StaticUpstream {
    let child: FixtureProcess
    let port: Int
    static let body = "<!doctype html><title>flood</title><p>a small static answer</p>\n"

    init(directory: URL) throws {
        let dir = directory.appendingPathComponent("static-nginx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("www"), withIntermediateDirectories: true)
        try Self.body.write(to: dir.appendingPathComponent("www/index.html"), atomically: false, encoding: .utf8)
        port = try LoopbackPort.unused()
        // master_process off: one process, so stopping it by PID stops all of nginx.
        let conf = """
            master_process off;
            daemon off;
            pid \(dir.path)/nginx.pid;
            error_log \(dir.path)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                keepalive_requests 1000000;
                client_body_temp_path \(dir.path)/body;
                proxy_temp_path \(dir.path)/proxy;
                fastcgi_temp_path \(dir.path)/fastcgi;
                uwsgi_temp_path \(dir.path)/uwsgi;
                scgi_temp_path \(dir.path)/scgi;
                server { listen 127.0.0.1:\(port); root \(dir.path)/www; }
            }
            """
        let file = dir.appendingPathComponent("nginx.conf")
        try conf.write(to: file, atomically: false, encoding: .utf8)
        child = try FixtureProcess(
            executable: "/usr/sbin/nginx", arguments: ["-p", dir.path, "-e", dir.path + "/error.log", "-c", file.path],
            directory: directory, name: "static-nginx")
        let port = self.port
        _ = try child.waitFor("nginx to listen", in: { child.stderr }) { _ in
            (try? RawHTTPClient(port: port)) != nil ? true : nil
        }
    }

    func stop() { child.stop() }
}
