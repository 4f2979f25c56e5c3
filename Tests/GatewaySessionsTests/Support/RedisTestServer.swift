// A throwaway redis-server on a free loopback port, started and stopped by PID.
import Foundation
import GatewayTestSupport
import XCTest

/// Thread-safety: used from the test thread only.
final class RedisTestServer {
    let port: Int
    private let extraArguments: [String]
    private var process: FixtureProcess?

    /// Starts at once; `port` nil picks a free one.
    init(port: Int? = nil, arguments: [String] = []) throws {
        self.port = try port ?? LoopbackPort.unused()
        self.extraArguments = arguments
        try start()
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }

    func start() throws {
        precondition(process == nil, "redis-server already running")
        let server = try FixtureProcess(
            executable: try Self.executable(),
            arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--logfile", "", "--loglevel", "warning",
            ] + extraArguments, name: "redis-\(port)")
        process = server
        let port = self.port
        do {
            try server.waitFor("redis-server to listen on \(port) (port in use?)", timeout: 10, in: { "" }) { _ in
                Self.canConnect(port: port) ? true : nil
            }
        } catch {
            stop()
            throw error
        }
    }

    /// SIGTERM to our own PID, then waits for it to exit.
    func stop() {
        guard let server = process else { return }
        process = nil
        server.stop(grace: 20)
    }

    deinit { stop() }

    private static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(dir)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestError("redis-server not found (apt-get install redis-server)")
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `GATEWAY_TEST_REDIS_URL` (redis://host:port/db), as set by deploy/test.
struct RedisTestURL {
    let host: String
    let port: Int
    let database: Int

    static var fromEnvironment: RedisTestURL? {
        guard let text = ProcessInfo.processInfo.environment["GATEWAY_TEST_REDIS_URL"], !text.isEmpty,
            let components = URLComponents(string: text), components.scheme == "redis", let host = components.host
        else { return nil }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return RedisTestURL(host: host, port: components.port ?? 6379, database: Int(path) ?? 0)
    }
}
