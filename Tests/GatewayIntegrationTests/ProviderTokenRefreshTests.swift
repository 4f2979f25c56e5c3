// The provider's access token for the app, renewed once per session however many requests and
// instances ask: two gateways on the real Redis against refresh_provider.py, whose access
// tokens live 6 s and whose refresh tokens are single-use and rotate.
import Foundation
import GatewayTestSupport
import XCTest

final class ProviderTokenRefreshTests: IntegrationTestCase {
    private var providerPort = 0
    private var redis = 0
    /// Unique per test: the shared Redis keeps users, and other tests sign in with other emails.
    private let user = "tok-" + UUID().uuidString.prefix(8).lowercased()

    private let locations = """
        location /public/ { auth off; proxy_pass app; }
        location /token/ { auth required; pass_access_token on; proxy_pass app; }
        location / { auth required; proxy_pass app; }
        """

    private func startProvider() throws {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [
                "-u", TestPaths.fixtures.appendingPathComponent("refresh_provider.py").path, "--client-id", "client-id",
                "--client-secret", "client-s3cret", "--access-ttl", "6", "--refresh-delay", "0.5",
            ], directory: directory, name: "refresh-provider")
        track(child)
        providerPort = try child.waitForPort("refresh_provider.py")
    }

    private func startGateway(upstreamPort: Int) throws -> (GatewayProcess, URL) {
        let p = "http://127.0.0.1:\(providerPort)"
        return try startSignInGateway(
            upstreamPort: upstreamPort,
            providers: """
                provider corp { type oauth2; client_id client-id; client_secret client-s3cret;
                    authorize_url \(p)/oauth2/authorize; token_url \(p)/oauth2/token; userinfo_url \(p)/userinfo; }
                """,
            store: "redis://127.0.0.1:\(redis)/0", locations: locations, discoveringProviders: 0)
    }

    private func stats() throws -> [String: Any] {
        try RawHTTPClient(port: providerPort).request("GET", "/_stats", host: "127.0.0.1:\(providerPort)").json()
    }

    private func current(_ sub: String) throws -> (access: String, refresh: String, expiresAt: Double) {
        let entry = try XCTUnwrap((try stats()["current"] as? [String: Any])?[sub] as? [String: Any])
        return (
            try XCTUnwrap(entry["access_token"] as? String), try XCTUnwrap(entry["refresh_token"] as? String),
            try XCTUnwrap(entry["expires_at"] as? Double)
        )
    }

    private func count(_ key: String) throws -> Int { try XCTUnwrap(try stats()[key] as? Int) }

    /// The session cookie as a Cookie header, to send from any client to either gateway.
    private func cookie(_ browser: Browser, _ base: URL) throws -> String {
        "__gateway=" + (try XCTUnwrap(browser.cookies(for: base)["__gateway"]))
    }

    private func get(_ port: Int, _ path: String, cookie: String, accept: String = "application/json") throws
        -> TestResponse
    {
        try RawHTTPClient(port: port).request(
            "GET", path, headers: [("Cookie", cookie), ("Accept", accept)], host: "127.0.0.1:\(port)")
    }

    /// The session's value in Redis, as stored.
    private func storedSession(_ cookie: String) throws -> String {
        let id = String(cookie.dropFirst("__gateway=".count).prefix { $0 != "." })
        return try redisCLI(["GET", "session:" + id])
    }

    /// Sleeps until the gateway counts the access token as due: within 1 s of the expiry it
    /// stored (whole seconds; a quarter of the 6 s lifetime, rounded down), and still before it expires.
    private func waitForTheExpiryEdge(_ cookie: String) throws {
        let stored = try JSONSerialization.jsonObject(with: Data(try storedSession(cookie).utf8)) as? [String: Any]
        let expiresAt = try XCTUnwrap(stored?["tokenExpiresAt"] as? Int)
        let wait = Double(expiresAt) - 0.8 - Date().timeIntervalSince1970
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }

    private func signedIn(_ base: URL) throws -> Browser {
        let browser = Browser()
        let hops = try signIn(browser, base: base, path: "/token/first", sub: user)
        XCTAssertEqual(hops.last?.response.status, 200, hops.last?.response.text ?? "")
        return browser
    }

    func testFiftyConcurrentRequestsOnTwoInstancesCauseOneRefresh() throws {
        redis = try redisPort()
        try startProvider()
        let upstream = try startUpstream()
        let (a, baseA) = try startGateway(upstreamPort: upstream.port)
        let (b, _) = try startGateway(upstreamPort: upstream.port)
        let browser = try signedIn(baseA)
        let cookie = try cookie(browser, baseA)
        let first = try current(user)
        let before = try get(b.port, "/token/before", cookie: cookie)
        XCTAssertEqual(before.status, 200, before.text)
        XCTAssertEqual(headerValues("X-Auth-Access-Token", in: try before.json()), [first.access])
        XCTAssertEqual(headerValues("X-Auth-Access-Token-Secret", in: try before.json()), [], "OAuth 2 has no secret")

        try waitForTheExpiryEdge(cookie)
        // Every request is on the wire before any answer is read: 25 per instance.
        var clients: [RawHTTPClient] = []
        for i in 0..<50 {
            let port = i % 2 == 0 ? a.port : b.port
            let client = try RawHTTPClient(port: port)
            try client.send(
                "GET /token/edge?i=\(i) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nCookie: \(cookie)\r\n"
                    + "Accept: application/json\r\n\r\n")
            clients.append(client)
        }
        var seen: [String] = []
        for (i, client) in clients.enumerated() {
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200, "request \(i): \(response.text)")
            seen += headerValues("X-Auth-Access-Token", in: try response.json())
        }
        let renewed = try current(user)
        XCTAssertNotEqual(renewed.access, first.access)
        XCTAssertEqual(try count("refreshes"), 1, "exactly one refresh call reached the provider")
        XCTAssertEqual(try count("refused"), 0, "no refresh token was presented twice")
        XCTAssertEqual(seen.count, 50)
        XCTAssertEqual(Set(seen), [renewed.access], "every request at the edge waited for the new token")
        for port in [a.port, b.port] {
            let after = try get(port, "/token/after", cookie: cookie)
            XCTAssertEqual(headerValues("X-Auth-Access-Token", in: try after.json()), [renewed.access])
        }

        // Redis holds the tokens sealed: neither token is in any session value in clear.
        let raw = try storedSession(cookie)
        XCTAssertTrue(raw.contains("\"sealedTokens\":\""), raw)
        XCTAssertTrue(raw.contains("\"tokenExpiresAt\":"), raw)
        for secret in [renewed.access, renewed.refresh, first.access, first.refresh] {
            XCTAssertFalse(raw.contains(secret), "a provider token is in Redis in clear")
        }
        for gateway in [a, b] {
            let log = try gateway.settledLogs()
            for secret in [renewed.access, renewed.refresh, first.access, first.refresh] {
                XCTAssertFalse(log.contains(secret), "a provider token reached a log")
            }
        }
    }

    func testARefusedRefreshEndsTheSession() throws {
        redis = try redisPort()
        try startProvider()
        let upstream = try startUpstream()
        let (gateway, base) = try startGateway(upstreamPort: upstream.port)
        let browser = try signedIn(base)
        let cookie = try cookie(browser, base)
        let revoked = try RawHTTPClient(port: providerPort).request(
            "POST", "/_revoke/" + user, host: "127.0.0.1:\(providerPort)")
        XCTAssertEqual(revoked.status, 204)
        XCTAssertEqual(try get(gateway.port, "/plain", cookie: cookie).status, 200, "not due yet: nothing to renew")

        try waitForTheExpiryEdge(cookie)
        // A location without pass_access_token does not wait for (or start) a refresh.
        XCTAssertEqual(try get(gateway.port, "/plain", cookie: cookie).status, 200)
        let refused = try get(gateway.port, "/token/x", cookie: cookie, accept: "text/html")
        XCTAssertEqual(refused.status, 302, refused.text)
        XCTAssertTrue(refused.header("Location")?.hasPrefix("/auth/sign_in?next=") == true, "\(refused.head)")
        XCTAssertEqual(try count("refused"), 1)
        XCTAssertEqual(try get(gateway.port, "/plain", cookie: cookie).status, 401, "the session is over everywhere")
        XCTAssertEqual(try get(gateway.port, "/token/x", cookie: cookie).status, 401)
    }

    func testClientsCannotSendTheTokenHeaders() throws {
        redis = try redisPort()
        try startProvider()
        let upstream = try startUpstream()
        let (gateway, base) = try startGateway(upstreamPort: upstream.port)
        let browser = try signedIn(base)
        let forged = [
            ("X-Auth-Access-Token", "forged-1"), ("x-auth-access-token-secret", "forged-2"),
            ("X.Auth.Access.Token", "forged-3"),
        ]
        for (path, cookie) in [("/public/x", nil), ("/token/x", try self.cookie(browser, base))] as [(String, String?)]
        {
            var headers = forged + [("Accept", "application/json")]
            if let cookie { headers.append(("Cookie", cookie)) }
            let response = try RawHTTPClient(port: gateway.port).request(
                "GET", path, headers: headers, host: "127.0.0.1:\(gateway.port)")
            XCTAssertEqual(response.status, 200, response.text)
            XCTAssertFalse(response.text.contains("forged"), "\(path): \(response.text)")
            let sent = headerValues("X-Auth-Access-Token", in: try response.json())
            XCTAssertEqual(sent, cookie == nil ? [] : [try current(user).access])
        }
    }

    /// `redis-cli` against the test's Redis.
    private func redisCLI(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["redis-cli", "-p", String(redis), "--raw"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
