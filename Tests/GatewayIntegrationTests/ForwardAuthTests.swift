// The gateway as the auth service of real nginx (auth_request) and Caddy (forward_auth), each
// run from its example in deploy/examples/: rules applied, identity passed on, browsers sent to sign in.
import Foundation
import XCTest

final class ForwardAuthTests: IntegrationTestCase {
    /// Upstream, mock provider, the example gateway and `kind` in front; returns the front's URL.
    private func start(_ kind: FrontProxyKind) throws -> (URL, GatewayProcess, String) {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let redis = try redisPort()
        let front = closedPort()
        let gateway = try startForwardAuthGateway(
            frontPort: front, upstreamPort: upstream.port, issuer: issuer, redisPort: redis)
        try startFrontProxy(kind, port: front, gatewayPort: gateway.port, upstreamPort: upstream.port)
        return (URL(string: "http://127.0.0.1:\(front)")!, gateway, issuer)
    }

    func testNginxAuthRequest() throws {
        try checkForwardAuth(.nginx)
    }

    func testCaddyForwardAuth() throws {
        try checkForwardAuth(.caddy)
    }

    /// What the front proxy logged (nginx's error log; Caddy logs to stderr).
    private func frontLog(_ kind: FrontProxyKind) -> String {
        let file = kind == .nginx ? "nginx/error.log" : "caddy.stderr"
        return (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
    }

    /// The identity header names of the example's locations (the defaults).
    private static let identityHeaders = [
        "X-Auth-User-Id", "X-Auth-User", "X-Auth-Email", "X-Auth-Email-Verified", "X-Auth-Name", "X-Auth-Provider",
        "X-Auth-Identities",
    ]

    /// A client's identity headers spelled as app stacks read them: Rack, Django, PHP and uWSGI
    /// take `_` (some `.`) for `-`; other punctuation nginx ignores; any case and repeats of the
    /// real name.
    private static let aliasAttack: [(String, String)] = [
        ("X_Auth_User_Id", "u_admin"), ("X.Auth.User", "x"), ("x-aUTH-uSER-iD", "u_admin"),
        ("X-Auth-User-Id", "u_admin"), ("X-Auth-User-Id", "u_admin"), ("X_Auth_Email", "admin@example.com"),
        ("x_auth_email_verified", "true"), ("X-Auth-Email-Verified", "true"), ("X.Auth.Identities", "corp:admin"),
        ("X~Auth~User", "x"), ("X+Auth+Provider", "corp"),
    ]

    /// Both fronts pass on only names of letters, digits and `-` (nginx by default, the
    /// Caddyfile by deleting the rest), so no spelling an app might fold reaches it.
    private func assertPlainNames(_ echo: [String: Any], _ kind: FrontProxyKind, line: UInt = #line) {
        let odd = headers(of: echo).map(\.0).filter { name in
            !name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        XCTAssertEqual(odd, [], "\(kind): the app got these names", line: line)
    }

    /// Every field the upstream got whose name an app could read as an identity header (any
    /// case, `_` or `.` for `-`), as "name: value" with the name lowercased, in name order.
    private func identityFields(_ echo: [String: Any]) -> [String] {
        let names = Set(Self.identityHeaders.map { $0.lowercased() })
        return headers(of: echo).compactMap { name, value in
            let lower = name.lowercased()
            let read = String(lower.map { $0 == "_" || $0 == "." ? "-" : $0 })
            return names.contains(read) ? "\(lower): \(value)" : nil
        }.sorted()
    }

    private func checkForwardAuth(_ kind: FrontProxyKind) throws {
        let (base, gateway, issuer) = try start(kind)
        let url = { (path: String) in URL(string: path, relativeTo: base)!.absoluteURL }

        // An anonymous browser is sent to the gateway's sign-in page, through the front's host.
        let anonymous = try Browser().request("GET", url("/app/page?x=1"))
        XCTAssertEqual(anonymous.response.status, 302, "\(kind): \(anonymous.response.text)\n\(frontLog(kind))")
        XCTAssertEqual(
            anonymous.response.header("Location"), base.absoluteString + "/auth/sign_in?next=%2Fapp%2Fpage%3Fx%3D1")
        // An API client gets 401.
        let api = try RawHTTPClient(port: base.port!).request(
            "GET", "/app/data", headers: [("Accept", "application/json")], host: "127.0.0.1:\(base.port!)")
        XCTAssertEqual(api.status, 401, "\(kind)")

        // A public location needs no session, and a client's identity header does not get through.
        let open = try Browser().request("GET", url("/public/x"), headers: [("X-Auth-User-Id", "admin")])
        XCTAssertEqual(open.response.status, 200, "\(kind): \(open.response.text)")
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: try open.response.json()).filter { !$0.isEmpty }, [])
        // Nor does any alias of one: the app sees exactly what it sees without them (no identity).
        let plain = identityFields(try Browser().request("GET", url("/public/y")).response.json())
        XCTAssertEqual(plain.filter { !$0.hasSuffix(": ") }, [], "\(kind): a public location has no identity")
        let openAliased = try Browser().request("GET", url("/public/y"), headers: Self.aliasAttack)
        XCTAssertEqual(openAliased.response.status, 200, "\(kind): \(openAliased.response.text)")
        XCTAssertEqual(identityFields(try openAliased.response.json()), plain, "\(kind): aliases reached the app")
        assertPlainNames(try openAliased.response.json(), kind)

        // Sign in through the front, then the app sees who it is, whatever the client claims.
        // Names of this test's own (lowercase: the gateway lowercases emails): the Redis is shared
        // with other tests, which link by verified email.
        let sub = "fa-\(kind)-\(UUID().uuidString.prefix(8).lowercased())"
        let email = "\(sub)@example.com"
        try setMockUser(issuer: issuer, sub: sub, claims: ["email": email, "email_verified": true])
        let browser = Browser()
        let hops = try signIn(browser, base: base, sub: sub)
        let landed = try XCTUnwrap(hops.last)
        XCTAssertEqual(landed.url.path, "/app/page")
        XCTAssertEqual(landed.response.status, 200, "\(kind): \(hops.map { "\($0.response.status) \($0.url)" })")
        let userID = try XCTUnwrap(headerValues("X-Auth-User-Id", in: try landed.response.json()).first)
        XCTAssertTrue(userID.hasPrefix("u_"), userID)
        XCTAssertEqual(headerValues("X-Auth-Email-Verified", in: try landed.response.json()), ["true"], "\(kind)")
        let identity = identityFields(try landed.response.json())
        XCTAssertEqual(identity.filter { $0.hasPrefix("x-auth-user-id:") }, ["x-auth-user-id: \(userID)"])
        let spoofed = try browser.request("GET", url("/app/again"), headers: [("X-Auth-User-Id", "admin")])
        XCTAssertEqual(spoofed.response.status, 200)
        let echo = try spoofed.response.json()
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: echo), [userID])
        XCTAssertEqual(headerValues("X-Auth-Email", in: echo), [email])
        // Aliases, other case and repeats: the app sees her identity and nothing else.
        let aliased = try browser.request("GET", url("/app/again"), headers: Self.aliasAttack)
        XCTAssertEqual(aliased.response.status, 200, "\(kind): \(aliased.response.text)")
        XCTAssertEqual(identityFields(try aliased.response.json()), identity, "\(kind): aliases reached the app")
        assertPlainNames(try aliased.response.json(), kind)

        // Another location's rule refuses her.
        XCTAssertEqual(try browser.request("GET", url("/admin/panel")).response.status, 403, "\(kind)")

        // An encoded dot segment cannot borrow the public location's answer.
        let dotted = try browser.request("GET", url("/public/%2e%2e/admin/panel"))
        XCTAssertNotEqual(dotted.response.status, 200, "\(kind)")

        // Asked directly without an original URI, the gateway says what to configure.
        let direct = try gateway.client().request("GET", "/auth/verify")
        XCTAssertEqual(direct.status, 400)
        XCTAssertTrue(direct.text.contains("trusted_proxies"), direct.text)

        let cookie = browser.cookies(for: base)["__gateway"] ?? "missing"
        XCTAssertFalse(
            try gateway.settledLogs().contains(cookie), "the session cookie leaked into a log")
    }

    /// The verdicts asked directly, as a trusted proxy on loopback would, with `verify_redirect on`.
    func testVerifyAnswersForEachKindOfLocation() throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s3cret; }",
            store: "redis://127.0.0.1:\(try redisPort())/0", extra: "trusted_proxies 127.0.0.1;\nverify_redirect on;",
            locations: """
                location /public/ { auth off; proxy_pass app; }
                location /app/ { auth required; proxy_pass app; }
                """)
        let client = try gateway.client()
        func ask(_ fields: [(String, String)]) throws -> TestResponse {
            try client.request("GET", "/auth/verify", headers: fields)
        }
        let html = ("Accept", "text/html")

        let browser = try ask([html, ("X-Forwarded-Uri", "/app/x?y=1")])
        XCTAssertEqual(browser.status, 302)
        XCTAssertEqual(browser.header("Location"), base.absoluteString + "/auth/sign_in?next=%2Fapp%2Fx%3Fy%3D1")
        let api = try ask([("Accept", "application/json"), ("X-Original-URI", "/app/x")])
        XCTAssertEqual(api.status, 401)
        XCTAssertEqual(try api.json()["sign_in"] as? String, base.absoluteString + "/auth/sign_in?next=%2Fapp%2Fx")
        XCTAssertEqual(try ask([html, ("X-Forwarded-Method", "POST"), ("X-Forwarded-Uri", "/app/x")]).status, 401)

        let open = try ask([("X-Original-URI", "/public/a")])
        XCTAssertEqual(open.status, 200)
        XCTAssertEqual(open.header("X-Auth-User-Id"), "", "present and empty, so the proxy overwrites client copies")
        XCTAssertEqual(try ask([("X-Original-URI", "/elsewhere")]).status, 403, "no location covers it: deny")
        XCTAssertEqual(try ask([("X-Original-URI", "/public/%2e%2e/app/")]).status, 400)
        XCTAssertEqual(try ask([("X-Original-URI", "/app/"), ("X-Forwarded-Uri", "/public/")]).status, 400)

        let signedIn = Browser()
        let sub = "fa-direct-\(UUID().uuidString.prefix(8))"
        try signIn(signedIn, base: base, sub: sub)
        let verdict = try signedIn.request(
            "GET", URL(string: "/auth/verify", relativeTo: base)!.absoluteURL, headers: [("X-Original-URI", "/app/y")])
        XCTAssertEqual(verdict.response.status, 200)
        XCTAssertTrue(verdict.response.header("X-Auth-User-Id")?.hasPrefix("u_") == true)
        XCTAssertEqual(verdict.response.header("X-Auth-Identities"), "mock:\(sub)")
        XCTAssertNotNil(verdict.response.header("X-Auth-Name"), "every identity header is named")
    }
}
