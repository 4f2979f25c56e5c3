// The directives that decide what a client may claim: trusted proxies, header and path spellings,
// WebSocket origins, forward-auth redirects and tunnel idle time.

import XCTest

@testable import GatewayConfig

final class HardeningDirectiveTests: XCTestCase {
    func testDefaultsTrustNobodyAndRefuseAliases() throws {
        let config = try TestConfig.load("")
        XCTAssertEqual(config.trustedProxies, [])
        XCTAssertFalse(config.underscoresInHeaders)
        XCTAssertFalse(config.allowEncodedSlashes)
        XCTAssertEqual(config.websocketOrigins, [])
        XCTAssertFalse(config.verifyRedirect)
        XCTAssertEqual(config.tunnelIdleTimeout, .seconds(3600))
    }

    func testTrustedProxiesAddUpAcrossLines() throws {
        let config = try TestConfig.load("trusted_proxies 10.0.0.0/8 127.0.0.1;\ntrusted_proxies fd00::/8;\n")
        XCTAssertEqual(config.trustedProxies.map(\.description), ["10.0.0.0/8", "127.0.0.1/32", "fd00::/8"])
    }

    func testTrustedNetworkMatchesOnBits() throws {
        let net = try XCTUnwrap(TrustedNetwork("192.168.4.0/22"))
        XCTAssertTrue(net.contains([192, 168, 7, 255]))
        XCTAssertFalse(net.contains([192, 168, 8, 0]))
        XCTAssertEqual(TrustedNetwork("10.1.2.3/8")?.description, "10.0.0.0/8")
        // An IPv4-mapped IPv6 peer is the IPv4 address it maps.
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 168, 5, 1]
        XCTAssertTrue(net.contains(mapped))
        XCTAssertFalse(try XCTUnwrap(TrustedNetwork("::1")).contains([127, 0, 0, 1]))
        XCTAssertTrue(try XCTUnwrap(TrustedNetwork("0.0.0.0/0")).contains([8, 8, 8, 8]))
    }

    func testRejectsMalformedNetworks() {
        XCTAssertEqual(
            TestConfig.messages("trusted_proxies 10.0.0.0/33 proxy.local 1.2.3.4/x;\n"),
            [
                #"gateway.conf:1:17: "trusted_proxies" takes IP addresses or CIDR networks like 10.0.0.0/8 or fd00::/8, got "10.0.0.0/33""#,
                #"gateway.conf:1:29: "trusted_proxies" takes IP addresses or CIDR networks like 10.0.0.0/8 or fd00::/8, got "proxy.local""#,
                #"gateway.conf:1:41: "trusted_proxies" takes IP addresses or CIDR networks like 10.0.0.0/8 or fd00::/8, got "1.2.3.4/x""#,
            ])
    }

    func testSwitchesAndTimeout() throws {
        let config = try TestConfig.load(
            "underscores_in_headers on;\nallow_encoded_slashes on;\nverify_redirect on;\ntunnel_idle_timeout 5m;\n")
        XCTAssertTrue(config.underscoresInHeaders)
        XCTAssertTrue(config.allowEncodedSlashes)
        XCTAssertTrue(config.verifyRedirect)
        XCTAssertEqual(config.tunnelIdleTimeout, .seconds(300))
        XCTAssertEqual(
            TestConfig.messages("underscores_in_headers yes;\n"),
            [#"gateway.conf:1:24: "underscores_in_headers" must be "on" or "off", got "yes""#])
    }

    func testWebSocketOriginsAreParsedOrigins() throws {
        let config = try TestConfig.load("websocket_origins https://App.Example.com http://localhost:3000/;\n")
        XCTAssertEqual(config.websocketOrigins.map(\.description), ["https://app.example.com", "http://localhost:3000"])
        XCTAssertEqual(config.websocketOrigins.map(\.effectivePort), [443, 3000])
        XCTAssertEqual(
            TestConfig.messages("websocket_origins https://a.example/path;\n"),
            [#"gateway.conf:1:19: "websocket_origins" must not have a path, query or fragment, got "https://a.example/path""#])
    }
}
