// Raw request bytes in, the exact head sent upstream out.

import GatewayConfig
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class HeadRewriterTests: XCTestCase {
    private func upstream(
        _ raw: String, peerTrusted: Bool = false, isTLS: Bool = false, underscores: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        let config = try testConfiguration(extra: underscores ? "underscores_in_headers on;" : "")
        let head = try XCTUnwrap(parsedHead(raw, file: file, line: line), file: file, line: line)
        let target = try XCTUnwrap(canonicalTarget(head.path), file: file, line: line)
        let out = HeadRewriter.upstreamRequest(
            head, target: target.forwarded, peerIP: "192.0.2.9", peerTrusted: peerTrusted, isTLS: isTLS,
            policy: ForwardingPolicy(config: config), defaultHost: "127.0.0.1:3000", keepAlive: true)
        return text(out)
    }

    func testIdentityHeadersOfEveryLocationAreStrippedInEverySpelling() throws {
        let out = try upstream(
            "GET /public/x HTTP/1.1\r\nHost: gateway.test\r\nX_Auth_User_Id: 1\r\nX.Auth.User: root\r\n"
                + "x-AUTH-email: a@b\r\nX-Forwarded-Email: boss@example.com\r\n"
                + "X-Kept: yes\r\n\r\n", underscores: true)
        XCTAssertEqual(
            out,
            "GET /public/x HTTP/1.1\r\nHost: gateway.test\r\nX-Kept: yes\r\n"
                + "X-Forwarded-For: 192.0.2.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: gateway.test\r\n\r\n")
    }

    func testEveryIdentityFieldsDefaultNameIsStripped() throws {
        // Derived from IdentityField.allCases, so a new field is covered without touching this.
        for field in IdentityField.allCases {
            let alias = field.defaultHeader.replacingOccurrences(of: "-", with: "_").uppercased()
            let out = try upstream(
                "GET / HTTP/1.1\r\nHost: h\r\n\(alias): x\r\n\(field.defaultHeader): y\r\n\r\n", underscores: true)
            XCTAssertFalse(out.lowercased().contains("x-auth") || out.contains(alias), out)
        }
    }

    func testProviderTokenHeadersAreStrippedInEverySpelling() throws {
        let out = try upstream(
            "GET /public/x HTTP/1.1\r\nHost: h\r\nX-Auth-Access-Token: a\r\nx_auth_access_token: b\r\n"
                + "X.Auth.Access.Token.Secret: c\r\nX-AUTH-ACCESS-TOKEN-SECRET: d\r\nX-Auth-Access-Tokens: kept\r\n\r\n",
            underscores: true)
        XCTAssertEqual(
            out,
            "GET /public/x HTTP/1.1\r\nHost: h\r\nX-Auth-Access-Tokens: kept\r\n"
                + "X-Forwarded-For: 192.0.2.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n")
    }

    func testUnderscoreNamesAreDroppedUnlessAllowed() throws {
        let raw = "GET / HTTP/1.1\r\nHost: h\r\nX_Custom: 1\r\nX-Other: 2\r\n\r\n"
        XCTAssertFalse(try upstream(raw).contains("X_Custom"))
        XCTAssertTrue(try upstream(raw).contains("X-Other: 2\r\n"))
        XCTAssertTrue(try upstream(raw, underscores: true).contains("X_Custom: 1\r\n"))
    }

    func testGatewayCookiesAreRemovedFromEveryCookieField() throws {
        let out = try upstream(
            "GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1; __gw=secret\r\nCookie: __gw_state=s\r\n"
                + "Cookie: __gwx=app; __Host-__gw=s2; b=2\r\n\r\n")
        XCTAssertEqual(
            out,
            "GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\nCookie: __gwx=app; b=2\r\n"
                + "X-Forwarded-For: 192.0.2.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n")
    }

    func testUntrustedPeerForwardedHeadersAreReplaced() throws {
        let out = try upstream(
            "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.1\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: evil\r\nForwarded: for=1.2.3.4\r\nX-Real-IP: 1.2.3.4\r\nX_Real_IP: 1.2.3.4\r\n"
                + "X.Forwarded.For: 1.2.3.4\r\nX-Forwarded-Port: 443\r\nx-forwarded-prefix: /evil\r\n\r\n",
            underscores: true)
        XCTAssertEqual(
            out,
            "GET / HTTP/1.1\r\nHost: h\r\n"
                + "X-Forwarded-For: 192.0.2.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n")
    }

    func testTrustedPeerForwardedHeadersAreKeptAndAppendedTo() throws {
        let out = try upstream(
            "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.1\r\nX-Forwarded-For: 10.0.0.1\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: app.example.com\r\nX-Real-IP: 203.0.113.1\r\n"
                + "X.Real.IP: 6.6.6.6\r\nX-Forwarded-Port: 443\r\nX_Forwarded_Port: 1\r\n\r\n", peerTrusted: true,
            underscores: true)
        XCTAssertEqual(
            out,
            "GET / HTTP/1.1\r\nHost: h\r\nX-Real-IP: 203.0.113.1\r\nX-Forwarded-Port: 443\r\n"
                + "X-Forwarded-For: 203.0.113.1, 10.0.0.1, 192.0.2.9\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: app.example.com\r\n\r\n")
    }

    func testFirstRequestOfATunnelIsStrippedLikeAnyOther() throws {
        let out = try upstream(
            "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX.Auth.User: root\r\n"
                + "Cookie: __gw=s; a=1\r\nX-Real-IP: 1.2.3.4\r\n\r\n")
        XCTAssertEqual(
            out,
            "GET /ws HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\n"
                + "X-Forwarded-For: 192.0.2.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n"
                + "Connection: upgrade\r\nUpgrade: websocket\r\n\r\n")
    }

    func testTLSListenerSaysHTTPS() throws {
        XCTAssertTrue(
            try upstream("GET / HTTP/1.1\r\nHost: h\r\n\r\n", isTLS: true).contains("X-Forwarded-Proto: https\r\n"))
        XCTAssertTrue(
            try upstream("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-Proto: https\r\n\r\n", peerTrusted: true)
                .contains("X-Forwarded-Proto: https\r\n"))
    }

    func testCanonicalTargetIsForwardedWithQueryAsSent() throws {
        let out = try upstream("GET //adm%69n;x//p%3bq?a=%2e%2e&b=%7e HTTP/1.1\r\nHost: h\r\n\r\n")
        XCTAssertTrue(out.hasPrefix("GET /admin;x/p%3Bq?a=%2e%2e&b=%7e HTTP/1.1\r\n"), out)
        let absolute = try upstream("GET http://example.test/%7ea?q HTTP/1.1\r\nHost: ignored\r\n\r\n")
        XCTAssertTrue(absolute.hasPrefix("GET /~a?q HTTP/1.1\r\nHost: example.test\r\n"), absolute)
    }
}
