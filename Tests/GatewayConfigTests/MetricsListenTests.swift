// `metrics_listen`: its own address, in the forms of `listen`, never one of the public ones.

import XCTest

@testable import GatewayConfig

final class MetricsListenTests: XCTestCase {
    func testMetricsAreOffUnlessAskedFor() throws {
        XCTAssertNil(try TestConfig.load("").metricsListener)
    }

    func testParsesTheFormsOfListen() throws {
        XCTAssertEqual(
            try TestConfig.load("metrics_listen 127.0.0.1:9100;\n").metricsListener,
            ListenerConfig(host: "127.0.0.1", port: 9100))
        XCTAssertEqual(
            try TestConfig.load("metrics_listen 9100;\n").metricsListener, ListenerConfig(host: "0.0.0.0", port: 9100))
        XCTAssertEqual(
            try TestConfig.load("metrics_listen [::1]:9100;\n").metricsListener, ListenerConfig(host: "::1", port: 9100)
        )
        XCTAssertEqual(
            try TestConfig.load("metrics_listen 127.0.0.1:0;\n").metricsListener,
            ListenerConfig(host: "127.0.0.1", port: 0))
    }

    func testRejectsBadAddressesPublicAddressesRepeatsAndTLS() {
        TestConfig.check([
            ConfigCase(
                name: "bad address names metrics_listen",
                text: "metrics_listen 127.0.0.1;\n",
                expected: [#"gateway.conf:1:16: metrics_listen "127.0.0.1" has no port"#]),
            ConfigCase(
                name: "a public address",
                text: "listen 127.0.0.1:8080;\nmetrics_listen 127.0.0.1:8080;\n",
                expected: [
                    #"gateway.conf:2:16: metrics_listen "127.0.0.1:8080" is also a listen address; metrics need a port of their own"#
                ]),
            ConfigCase(
                name: "the default public listener's port, on a wildcard",
                text: "metrics_listen 127.0.0.1:8080;\n",
                expected: [
                    #"gateway.conf:1:16: metrics_listen "127.0.0.1:8080" is also a listen address; metrics need a port of their own"#
                ]),
            ConfigCase(
                name: "another port is fine",
                text: "listen 127.0.0.1:8080;\nmetrics_listen 127.0.0.1:9100;\n",
                expected: []),
            ConfigCase(
                name: "once only",
                text: "metrics_listen 9100;\nmetrics_listen 9101;\n",
                expected: [#"gateway.conf:2:1: duplicate "metrics_listen" (first defined at gateway.conf:1:1)"#]),
            ConfigCase(
                name: "no tls",
                text: "metrics_listen 9100 tls;\n",
                expected: [#"gateway.conf:1:1: "metrics_listen" expects 1 argument, got 2"#]),
        ])
    }
}
