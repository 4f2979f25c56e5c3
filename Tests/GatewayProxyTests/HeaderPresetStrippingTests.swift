// The identity name set with `headers oauth2-proxy`: every name the preset sends is removed from
// clients in every spelling, on every route, from trusted peers too; without the preset they pass.

import GatewayConfig
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class HeaderPresetStrippingTests: XCTestCase {
    private let forged =
        "X_Forwarded_User: a\r\nx-forwarded-email: b\r\nX.Forwarded.Groups: c\r\nX-FORWARDED-PREFERRED-USERNAME: d\r\n"
        + "X-Forwarded-Access-Token: e\r\nX-Forwarded-User: f\r\nX-Forwarded-Port: 443\r\n"

    private func upstream(_ extra: String, path: String = "/public/x") throws -> String {
        let config = try testConfiguration(extra: extra + "\nunderscores_in_headers on;")
        let head = try XCTUnwrap(parsedHead("GET \(path) HTTP/1.1\r\nHost: h\r\n" + forged + "\r\n"))
        let target = try XCTUnwrap(canonicalTarget(head.path))
        // A trusted peer keeps its X-Forwarded-* fields, so only the identity name set can drop these.
        return text(
            HeadRewriter.upstreamRequest(
                head, target: target.forwarded, peerIP: "127.0.0.1", peerTrusted: true, isTLS: false,
                policy: ForwardingPolicy(config: config), defaultHost: "h", keepAlive: true))
    }

    func testPresetNamesAreStrippedOnEveryRoute() throws {
        for path in ["/public/x", "/admin/x", "/"] {
            let out = try upstream("headers oauth2-proxy;", path: path)
            XCTAssertEqual(
                out,
                "GET \(path) HTTP/1.1\r\nHost: h\r\nX-Forwarded-Port: 443\r\n"
                    + "X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n", path)
        }
    }

    func testWithoutThePresetATrustedPeersFieldsPass() throws {
        let out = try upstream("")
        XCTAssertTrue(out.contains("X-Forwarded-User: f\r\n"), out)
        XCTAssertTrue(out.contains("X-Forwarded-Access-Token: e\r\n"), out)
        XCTAssertFalse(out.contains("X_Forwarded_User"), "aliases are never believed: \(out)")
    }

    func testAPresetOnOneLocationProtectsThemAll() throws {
        let config = try ConfigLoader.load(
            text: """
                upstream app { server 127.0.0.1:3000; }
                location /legacy/ { auth off; headers oauth2-proxy; proxy_pass app; }
                location / { auth off; proxy_pass app; }
                """, file: "test.conf")
        let policy = ForwardingPolicy(config: config)
        for name in HeaderPreset.oauth2Proxy.headerNames {
            for spelling in [name, name.lowercased(), name.replacingOccurrences(of: "-", with: "_"), name.uppercased()]
            {
                XCTAssertTrue(policy.identityNames.contains(ArraySlice(spelling.utf8)), spelling)
            }
        }
    }
}
