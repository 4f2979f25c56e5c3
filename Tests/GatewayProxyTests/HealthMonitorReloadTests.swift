// A reload's new health monitor starts from the old one's results, so /readyz does not flap.
import GatewayConfig
import GatewayCore
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class HealthMonitorReloadTests: XCTestCase {
    private func targets(_ text: String) throws -> [UpstreamTarget] {
        try ConfigLoader.load(text: text, file: "gateway.conf").upstreams.map(UpstreamTarget.init)
    }

    private func config(_ upstreams: String) -> String {
        "listen 127.0.0.1:0;\n\(upstreams)\nlocation / { auth off; proxy_pass app; }\n"
    }

    func testAKeptServerStartsWithItsOldResultAndANewOneIsNotCheckedYet() throws {
        let closed = try LoopbackPort.unused()
        let old = HealthMonitor(
            upstreams: try targets(config("upstream app { server 127.0.0.1:\(closed); }")), interval: .milliseconds(50))
        old.start()
        XCTAssertTrue(waitUntil(timeout: 5) { old.report().json.contains("\"status\":\"down\"") }, old.report().json)
        old.stop()

        let other = try LoopbackPort.unused()
        let next = HealthMonitor(
            upstreams: try targets(
                config("upstream app { server 127.0.0.1:\(closed); server 127.0.0.1:\(other); }")),
            interval: .seconds(60))
        next.inherit(from: old)
        let json = next.report().json
        XCTAssertTrue(json.contains("\"server\":\"127.0.0.1:\(closed)\",\"status\":\"down\""), json)
        XCTAssertTrue(json.contains("\"server\":\"127.0.0.1:\(other)\",\"status\":\"unknown\""), json)
    }
}
