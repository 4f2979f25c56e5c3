// `headers oauth2-proxy;`: the upstream gets oauth2-proxy's X-Forwarded-* names with the
// gateway's values, and never a client's copy of them in any spelling, on any route.
import Foundation
import XCTest

final class HeaderPresetForwardingTests: IntegrationTestCase {
    private let tag = UUID().uuidString.prefix(8).lowercased()

    /// Every spelling a client might send, from a peer the gateway trusts (which keeps other
    /// X-Forwarded-* fields), with underscores allowed: only the identity name set removes them.
    private let forged: [(String, String)] = [
        ("X_Forwarded_User", "admin"), ("x-forwarded-email", "boss@example.com"), ("X-Forwarded-User", "admin"),
        ("X.Forwarded.Groups", "admins"), ("x-forwarded-groups", "admins"), ("X-FORWARDED-PREFERRED-USERNAME", "root"),
        ("X_Forwarded_Access_Token", "stolen"), ("X-Forwarded-Access-Token", "stolen"),
    ]

    /// The mock provider, an upstream and the gateway (memory sessions) with `locations`.
    private func start(extra: String = "", locations: String) throws -> (issuer: String, base: URL) {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider corp { type oidc; issuer \(issuer); client_id a; client_secret a; }",
            store: "memory", extra: extra, locations: locations)
        return (issuer, base)
    }

    func testPresetValuesReachTheUpstreamAndClientCopiesNever() throws {
        let (issuer, base) = try start(
            extra: "headers oauth2-proxy;\nunderscores_in_headers on;\ntrusted_proxies 127.0.0.1;",
            locations: """
                location /public/ { auth off; proxy_pass app; }
                location /plain/ { headers default; proxy_pass app; }
                location / { proxy_pass app; }
                """)
        let sub = "ann-\(tag)"
        try setMockUser(
            issuer: issuer, sub: sub,
            claims: [
                "email": "\(sub)@example.com", "email_verified": true, "preferred_username": "ann",
                "groups": ["staff", "eng,ops"],
            ])
        let browser = Browser()
        try signIn(browser, base: base, path: "/app/", sub: sub)

        let echo = try browser.request(
            "GET", URL(string: "/app/echo", relativeTo: base)!.absoluteURL,
            headers: forged + [("X-Custom_Thing", "kept")]
        ).response.json()
        XCTAssertEqual(headerValues("X-Forwarded-User", in: echo), ["ann"])
        XCTAssertEqual(headerValues("X-Forwarded-Email", in: echo), ["\(sub)@example.com"])
        XCTAssertEqual(headerValues("X-Forwarded-Preferred-Username", in: echo), ["ann"])
        XCTAssertEqual(headerValues("X-Forwarded-Groups", in: echo), ["staff,eng%2Cops"])
        XCTAssertEqual(headerValues("X-Forwarded-Access-Token", in: echo), [], "no pass_access_token, no token")
        XCTAssertEqual(headerValues("X-Auth-User", in: echo), [], "the preset renames X-Auth-User")
        XCTAssertEqual(headerValues("X-Auth-Provider", in: echo), ["corp"], "the other X-Auth-* headers stay")
        XCTAssertEqual(headerValues("X-Custom_Thing", in: echo), ["kept"], "underscores are on: only identity names go")
        assertNoAliases(echo)

        // A location without the preset and a public one: the names are still stripped.
        for path in ["/plain/echo", "/public/echo"] {
            let seen = try browser.request("GET", URL(string: path, relativeTo: base)!.absoluteURL, headers: forged)
                .response.json()
            assertNoAliases(seen, path)
            XCTAssertEqual(headerValues("X-Forwarded-User", in: seen), [], path)
            XCTAssertEqual(headerValues("X-Forwarded-Email", in: seen), [], path)
        }
        let plain = try browser.request("GET", URL(string: "/plain/echo", relativeTo: base)!.absoluteURL).response
            .json()
        XCTAssertEqual(headerValues("X-Auth-User", in: plain), ["ann"])
    }

    func testUnverifiedEmailIsNotSentAsXForwardedEmail() throws {
        let (issuer, base) = try start(locations: "location / { headers oauth2-proxy; proxy_pass app; }")
        let sub = "bob-\(tag)"
        try setMockUser(issuer: issuer, sub: sub, claims: ["email": "boss@example.com", "email_verified": false])
        let browser = Browser()
        try signIn(browser, base: base, path: "/app/", sub: sub)
        let echo = try browser.request(
            "GET", URL(string: "/app/echo", relativeTo: base)!.absoluteURL,
            headers: [("X-Forwarded-Email", "boss@example.com")]
        ).response.json()
        XCTAssertEqual(headerValues("X-Forwarded-Email", in: echo), [])
        XCTAssertEqual(headerValues("X-Forwarded-User", in: echo), [sub])
    }

    private func assertNoAliases(_ echo: [String: Any], _ context: String = "", line: UInt = #line) {
        let names = headers(of: echo).map { $0.0 }
        let normalized = names.map {
            $0.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
        }
        for (name, value) in forged {
            XCTAssertFalse(
                headers(of: echo).contains { $0.1 == value && $0.0 == name }, "\(name) reached the app \(context)",
                line: line)
        }
        XCTAssertFalse(
            names.contains { $0.contains("_") && $0.lowercased().contains("forwarded") }, "\(names) \(context)",
            line: line)
        XCTAssertFalse(names.contains { $0.contains(".") }, "\(names) \(context)", line: line)
        XCTAssertFalse(normalized.contains("x-forwarded-access-token"), "\(names) \(context)", line: line)
        XCTAssertLessThanOrEqual(normalized.filter { $0 == "x-forwarded-user" }.count, 1, context, line: line)
    }
}
