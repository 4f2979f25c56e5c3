// Attacks on what reaches the upstream: injected identity headers, leaked session cookies,
// path spellings that pick a weaker location, and forwarded headers from untrusted clients.
import Foundation
import XCTest

final class HardeningHeaderTests: IntegrationTestCase {
    /// A public `/` and `/public/`, a protected `/admin/` that remaps the email header.
    private func startHardenedGateway(extra: String = "") throws -> GatewayProcess {
        let upstream = try startUpstream()
        return try startGateway(
            GatewayProcess.publicConfig(
                upstreamPort: upstream.port,
                extra: """
                    public_url http://gateway.test;
                    session { cookie_name __gw; cookie_secret 0123456789abcdef0123456789abcdef-test; }
                    provider github { client_id x; client_secret y; }
                    \(extra)
                    """,
                locations: """
                    location /admin/ { auth required; identity_header email X-Forwarded-Email; proxy_pass app; }
                    location /public/ { auth off; proxy_pass app; }
                    location / { auth off; proxy_pass app; }
                    """))
    }

    private func names(_ echo: [String: Any]) -> [String] { headers(of: echo).map { $0.0.lowercased() } }

    func testHeaderAliasWithUnderscoreIsStripped() throws {
        for extra in ["", "underscores_in_headers on;"] {
            let gateway = try startHardenedGateway(extra: extra)
            let echo = try gateway.client().request(
                "GET", "/public/x",
                headers: [
                    ("X_Auth_User_Id", "admin"), ("X.Auth.User", "root"), ("x-AUTH-user-ID", "1"),
                    ("X_Auth_Email", "a@b"),
                    ("X-Custom_Thing", "u"), ("X-Kept", "yes"),
                ]
            ).json()
            let got = names(echo)
            XCTAssertFalse(
                got.contains {
                    $0.replacingOccurrences(of: "_", with: "-").hasPrefix("x-auth") || $0.hasPrefix("x.auth")
                }, "\(got)")
            XCTAssertEqual(headerValues("X-Kept", in: echo), ["yes"])
            XCTAssertEqual(
                headerValues("X-Custom_Thing", in: echo), extra.isEmpty ? [] : ["u"], "underscores: \(extra)")
        }
    }

    func testRemappedIdentityHeaderOfOtherLocationIsStripped() throws {
        let gateway = try startHardenedGateway()
        let echo = try gateway.client().request(
            "GET", "/public/x", headers: [("X-Forwarded-Email", "boss@example.com"), ("x.forwarded.email", "b@e")]
        ).json()
        XCTAssertEqual(
            headerValues("X-Forwarded-Email", in: echo), [], "remapped on /admin/, so stripped on /public/ too")
        XCTAssertFalse(names(echo).contains("x.forwarded.email"))
    }

    func testPathOverrideHeadersNeverReachUpstream() throws {
        // IIS, Symfony and Zend route by these, past the location the gateway matched.
        let gateway = try startHardenedGateway()
        let echo = try gateway.client().request(
            "GET", "/public/x", headers: [("X-Original-URL", "/admin/"), ("X_Rewrite_Url", "/admin/"), ("X-Rewrite-URL", "/admin/")]
        ).json()
        XCTAssertFalse(names(echo).contains { $0.contains("original-url") || $0.contains("rewrite") }, "\(names(echo))")
    }

    func testSessionCookieNeverReachesUpstream() throws {
        let gateway = try startHardenedGateway()
        let client = try gateway.client()
        let echo = try client.request(
            "GET", "/public/x",
            headers: [
                ("Cookie", "theme=dark; __gw=stolen; __gw_state=st"), ("Cookie", "__Host-__gw=x; __gwx=app; lang=en"),
            ]
        ).json()
        XCTAssertEqual(headerValues("Cookie", in: echo), ["theme=dark", "__gwx=app; lang=en"])
        let only = try client.request("GET", "/public/y", headers: [("Cookie", "__gw=stolen")]).json()
        XCTAssertEqual(headerValues("Cookie", in: only), [], "an emptied Cookie field is dropped")
    }

    func testSemicolonPathMatchesProtectedLocation() throws {
        let gateway = try startHardenedGateway()
        for path in ["/admin;x/", "/admin;x/page", "/adm%69n/", "//admin/", "/admin%3Bx/"] {
            let response = try gateway.client().request("GET", path, headers: [("Accept", "application/json")])
            XCTAssertEqual(response.status, 401, "\(path) reached the public location")
            let browser = try gateway.client().request("GET", path, headers: [("Accept", "text/html")])
            XCTAssertEqual(browser.status, 302, path)
        }
        // A parameter elsewhere is ignored for matching but forwarded (canonicalised) as sent.
        let echo = try gateway.client().request("GET", "/public;v=1/%7Ex?q=%41").json()
        XCTAssertEqual(echo["path"] as? String, "/public;v=1/~x?q=%41")
    }

    func testDotDotSemicolonIsRefused() throws {
        let gateway = try startHardenedGateway()
        for path in [
            "/static/..;/admin/", "/public/.;x/../admin/", "/public/%2e%2e%3b/admin/", "/a/..;jsessionid=1/admin/",
        ] {
            XCTAssertEqual(try gateway.client().request("GET", path).status, 400, path)
        }
    }

    func testFragmentIsRefused() throws {
        let gateway = try startHardenedGateway()
        XCTAssertEqual(try gateway.client().request("GET", "/public/x#frag").status, 400)
        XCTAssertEqual(try gateway.client().request("GET", "/public/x?a=1#frag").status, 400)
        XCTAssertEqual(
            try gateway.client().request("GET", "/auth/%6De").status, 401,
            "the sign-in endpoints see the canonical path")
    }

    func testEncodedSlashIsRefused() throws {
        let strict = try startHardenedGateway()
        for path in [
            "/public/a%2Fb", "/public/a%2fb", "/public/a%5Cb", "/public/a\\b", "/public/a%00b", "/public/a%0a",
        ] {
            XCTAssertEqual(try strict.client().request("GET", path).status, 400, path)
        }
        let lenient = try startHardenedGateway(extra: "allow_encoded_slashes on;")
        let echo = try lenient.client().request("GET", "/public/a%2fb%5cc").json()
        XCTAssertEqual(echo["path"] as? String, "/public/a%2Fb%5Cc")
        XCTAssertEqual(try lenient.client().request("GET", "/public/a%2f..%2fb").status, 400)
    }

    func testUntrustedForwardedHeadersAreReplaced() throws {
        let gateway = try startHardenedGateway(extra: "trusted_proxies 10.0.0.0/8;")
        let echo = try gateway.client().request(
            "GET", "/public/x",
            headers: [
                ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.test"),
                ("Forwarded", "for=203.0.113.9"), ("X-Real-IP", "203.0.113.9"), ("X.Real.IP", "1.1.1.1"),
                ("X.Forwarded.For", "1.1.1.1"), ("X-Forwarded-Port", "443"), ("X-Forwarded-Prefix", "/evil"),
            ]
        ).json()
        XCTAssertEqual(headerValues("X-Forwarded-For", in: echo), ["127.0.0.1"])
        XCTAssertEqual(headerValues("X-Forwarded-Proto", in: echo), ["http"])
        XCTAssertEqual(headerValues("X-Forwarded-Host", in: echo), ["gateway.test"])
        let got = names(echo)
        for dropped in [
            "forwarded", "x-real-ip", "x.real.ip", "x.forwarded.for", "x-forwarded-port", "x-forwarded-prefix",
        ] {
            XCTAssertFalse(got.contains(dropped), "\(dropped) reached the upstream: \(got)")
        }
    }

    func testTrustedProxyForwardedForIsAppended() throws {
        let gateway = try startHardenedGateway(extra: "trusted_proxies 127.0.0.0/8;")
        let echo = try gateway.client().request(
            "GET", "/public/x",
            headers: [
                ("X-Forwarded-For", "198.51.100.1, 203.0.113.9"), ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Host", "app.example.com"), ("X-Real-IP", "203.0.113.9"),
            ]
        ).json()
        XCTAssertEqual(headerValues("X-Forwarded-For", in: echo), ["198.51.100.1, 203.0.113.9, 127.0.0.1"])
        XCTAssertEqual(headerValues("X-Forwarded-Proto", in: echo), ["https"])
        XCTAssertEqual(headerValues("X-Forwarded-Host", in: echo), ["app.example.com"])
        XCTAssertEqual(headerValues("X-Real-IP", in: echo), ["203.0.113.9"])
        // The access log names the first untrusted hop from the right, not the proxy.
        let line = try gateway.child.waitFor("the access log line", in: { gateway.child.stdout }) { text in
            text.split(separator: "\n").first { $0.contains("\"path\":\"/public/x\"") }
        }
        XCTAssertTrue(line.contains("\"client\":\"203.0.113.9\""), String(line))
    }

    func testReadinessDetailsForLoopbackPeer() throws {
        let gateway = try startHardenedGateway()
        let report = try gateway.client().request("GET", "/readyz").json()
        XCTAssertNotNil(report["upstreams"], "loopback gets the details")
    }
}
