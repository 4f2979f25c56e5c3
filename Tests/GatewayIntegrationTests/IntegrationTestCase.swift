// Shared set-up: a temp folder, a Python upstream and the real gateway, all stopped by PID.
import Foundation
import GatewayTestSupport
import XCTest

class IntegrationTestCase: XCTestCase {
    var directory: URL!
    /// Redis servers this test started, by port (to stop and restart one).
    var redisChildren: [Int: FixtureProcess] = [:]
    private var cleanups: [() -> Void] = []

    override func setUpWithError() throws {
        directory = TestPaths.temporaryDirectory()
    }

    override func tearDown() {
        for cleanup in cleanups.reversed() { cleanup() }
        cleanups.removeAll()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops `child` (by its PID) when the test ends.
    func track(_ child: FixtureProcess) {
        cleanups.append { child.stop() }
    }

    func startUpstream(idleCloseMillis: Int? = nil, closeOnReuse: Bool = false) throws -> Upstream {
        let upstream = try Upstream(directory: directory, idleCloseMillis: idleCloseMillis, closeOnReuse: closeOnReuse)
        cleanups.append { upstream.stop() }
        return upstream
    }

    func startGateway(_ config: String, fileLimit: Int? = nil) throws -> GatewayProcess {
        let gateway = try GatewayProcess(config: config, directory: directory, fileLimit: fileLimit)
        cleanups.append { gateway.stop() }
        return gateway
    }

    /// An upstream and a gateway in front of it with public locations.
    func startPair(workers: Int = 1, extra: String = "", upstreamExtra: String = "", idleCloseMillis: Int? = nil) throws -> (Upstream, GatewayProcess) {
        let upstream = try startUpstream(idleCloseMillis: idleCloseMillis)
        let gateway = try startGateway(
            GatewayProcess.publicConfig(upstreamPort: upstream.port, workers: workers, extra: extra, upstreamExtra: upstreamExtra))
        return (upstream, gateway)
    }

    /// A port nothing listens on (bound, read back, closed); 0 if loopback cannot be bound.
    func closedPort() -> Int { (try? LoopbackPort.unused()) ?? 0 }

    func headers(of echo: [String: Any]) -> [(String, String)] {
        ((echo["headers"] as? [[String]]) ?? []).map { ($0[0], $0[1]) }
    }

    func headerValues(_ name: String, in echo: [String: Any]) -> [String] {
        headers(of: echo).filter { $0.0.lowercased() == name.lowercased() }.map { $0.1 }
    }
}
