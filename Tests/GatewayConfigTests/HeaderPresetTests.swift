// `headers default|oauth2-proxy;` at the top level and per location, and the preset's header names.

import XCTest

@testable import GatewayConfig

final class HeaderPresetTests: XCTestCase {
    private let app = "upstream app { server 127.0.0.1:3000; }\n"

    func testTopLevelPresetReachesEveryLocationUnlessOneSaysOtherwise() throws {
        let config = try TestConfig.load(
            app + "headers oauth2-proxy;\n"
                + "location /a/ { auth off; proxy_pass app; }\n"
                + "location /b/ { auth off; proxy_pass app; headers default; identity_header user X-Who; }\n")
        let (a, b) = (config.locations[0], config.locations[1])
        XCTAssertEqual(a.headerPreset, .oauth2Proxy)
        XCTAssertEqual(a.headerName(for: .user), "X-Forwarded-User")
        XCTAssertEqual(a.headerName(for: .email), "X-Forwarded-Email")
        XCTAssertEqual(a.headerName(for: .userID), "X-Auth-User-Id", "fields the preset has no name for keep theirs")
        XCTAssertEqual(b.headerPreset, .standard)
        XCTAssertEqual(b.headerName(for: .email), "X-Auth-Email")
        XCTAssertEqual(b.headerName(for: .user), "X-Who")
    }

    func testLocationPresetAndIdentityHeaderWinsOverIt() throws {
        let config = try TestConfig.load(
            app + "location / { auth off; proxy_pass app; headers oauth2-proxy; identity_header email X-Mail; }\n")
        XCTAssertEqual(config.locations[0].headerName(for: .email), "X-Mail")
        XCTAssertEqual(config.locations[0].headerName(for: .user), "X-Forwarded-User")
    }

    func testPresetNeedsGroupsFromProviders() throws {
        let config = try TestConfig.load(
            app + "provider corp { type oidc; issuer https://id.example.com; client_id a; client_secret b; }\n"
                + "location / { auth off; proxy_pass app; headers oauth2-proxy; }\n")
        guard case .oidc(let corp) = config.providers[0].settings else { return XCTFail("type") }
        XCTAssertTrue(corp.claims.readsGroups)
    }

    func testRejectsUnknownPresets() {
        TestConfig.check([
            ConfigCase(
                name: "unknown presets",
                text: app + "headers pomerium;\nlocation / { auth off; proxy_pass app; headers x; }\n",
                expected: [
                    #"gateway.conf:2:9: "headers" must be one of: default, oauth2-proxy, got "pomerium""#,
                    #"gateway.conf:3:48: location "/": "headers" must be one of: default, oauth2-proxy, got "x""#,
                ])
        ])
    }

    func testPresetHeaderSet() {
        XCTAssertEqual(
            HeaderPreset.oauth2Proxy.headerNames,
            [
                "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Preferred-Username", "X-Forwarded-Groups",
                "X-Forwarded-Access-Token",
            ])
        XCTAssertEqual(HeaderPreset.standard.headerNames, [])
        XCTAssertTrue(HeaderPreset.oauth2Proxy.sendsGroups)
        XCTAssertFalse(HeaderPreset.standard.sendsGroups)
    }
}
