// A whole sign-in setup on loopback: Redis, oidc-provider-mock, the upstream and the gateway.
import Foundation
import GatewayTestSupport
import XCTest

extension IntegrationTestCase {
    /// A Redis for this test: `GATEWAY_TEST_REDIS_URL`'s port when set, else one started here.
    func redisPort(fresh: Bool = false) throws -> Int {
        if !fresh, let url = ProcessInfo.processInfo.environment["GATEWAY_TEST_REDIS_URL"],
            let port = URL(string: url)?.port
        {
            return port
        }
        return try startRedis(port: closedPort())
    }

    /// Starts redis-server on `port` (stopped by PID at teardown); `appendonly` for restart tests;
    /// `arguments` are added (`--requirepass X`).
    @discardableResult
    func startRedis(port: Int, appendOnly: Bool = false, directory dir: URL? = nil, arguments: [String] = []) throws -> Int {
        let dataDir = dir ?? directory.appendingPathComponent("redis-\(port)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let child = try FixtureProcess(
            executable: "/usr/bin/env",
            arguments: [
                "redis-server", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly",
                appendOnly ? "yes" : "no", "--dir", dataDir.path,
            ] + arguments, directory: directory, name: "redis-\(port)-\(UUID().uuidString.prefix(4))")
        track(child)
        redisChildren[port] = child
        _ = try child.waitFor("redis to listen", in: { child.stdout }) { $0.contains("Ready to accept connections") ? true : nil }
        return port
    }

    /// oidc-provider-mock on a free port; returns its issuer URL.
    func startMockProvider() throws -> String {
        let port = closedPort()
        let child = try FixtureProcess(
            executable: TestPaths.python, arguments: ["-m", "oidc_provider_mock", "--port", String(port)],
            directory: directory, name: "oidc-mock")
        track(child)
        let issuer = "http://127.0.0.1:\(port)"
        _ = try child.waitFor("oidc-provider-mock", in: { child.stderr + child.stdout }) { _ in
            (try? RawHTTPClient(port: port).request("GET", "/.well-known/openid-configuration", host: "127.0.0.1:\(port)"))
                .flatMap { $0.status == 200 ? true : nil }
        }
        return issuer
    }

    /// Sets a user's claims at the mock provider.
    func setMockUser(issuer: String, sub: String, claims: [String: Any]) throws {
        let url = URL(string: issuer)!
        let body = try JSONSerialization.data(withJSONObject: claims)
        let response = try RawHTTPClient(port: url.port!).request(
            "PUT", "/users/" + Browser.encode(sub), headers: [("Content-Type", "application/json")], body: Array(body),
            host: "127.0.0.1:\(url.port!)")
        XCTAssertEqual(response.status, 204)
    }

    /// The gateway with sign-in: `/public/` is open, everything else needs a session. It always
    /// listens on plain http; `publicScheme` "https" only changes what it believes it is.
    func startSignInGateway(
        upstreamPort: Int, providers: String, store: String, port: Int? = nil, extra: String = "", locations: String? = nil,
        lifetime: String = "1h", discoveringProviders: Int? = nil, publicScheme: String = "http", listenTLS: String? = nil,
        sessionExtra: String = ""
    ) throws -> (GatewayProcess, URL) {
        let port = port ?? closedPort()
        let config = """
            listen 127.0.0.1:\(port)\(listenTLS.map { " tls " + $0 } ?? "");
            workers 1;
            public_url \(publicScheme)://127.0.0.1:\(port);
            access_log stdout;
            error_log stderr debug;
            health_check_interval 200ms;
            \(extra)
            upstream app { server 127.0.0.1:\(upstreamPort); }
            session {
                store \(store);
                cookie_secret 0123456789abcdef0123456789abcdef-test;
                lifetime \(lifetime);
                idle_timeout 30m;
                \(sessionExtra)
            }
            \(providers)
            \(locations ?? """
            location /public/ { auth off; proxy_pass app; }
            location /admin/ { auth required; allow email boss@example.com; proxy_pass app; }
            location / { auth required; proxy_pass app; }
            """)
            """
        let gateway = try startGateway(config)
        // Discovery runs in the background; sign-in starts answer 503 until it is done.
        // `discoveringProviders`: how many blocks discover (OIDC); default every block.
        let providerCount = discoveringProviders ?? providers.components(separatedBy: "provider ").count - 1
        _ = try gateway.child.waitFor("OIDC discovery", in: { gateway.child.stderr }) {
            $0.components(separatedBy: "OIDC discovery succeeded").count - 1 >= providerCount ? true : nil
        }
        return (gateway, URL(string: "http://127.0.0.1:\(port)")!)
    }

    /// What a browser sends with a click on one of the gateway's own pages (linking needs it).
    var ownPage: [(String, String)] { [("Sec-Fetch-Site", "same-origin")] }

    /// Signs in through the mock's form as `sub`; returns the hops from the protected URL on.
    @discardableResult
    func signIn(
        _ browser: Browser, base: URL, path: String = "/app/page?x=1", sub: String, headers: [(String, String)] = []
    ) throws -> [Browser.Hop] {
        var hops = try browser.follow(URL(string: path, relativeTo: base)!.absoluteURL, headers: headers)
        if let page = hops.last, page.url.path == "/auth/sign_in", page.response.status == 200 {
            // Press the first provider's button.
            let html = page.response.text
            guard let range = html.range(of: "class=\"button\" href=\""),
                let end = html[range.upperBound...].firstIndex(of: "\"")
            else { throw TestFailure("no provider button on the sign-in page: \(html)") }
            let href = String(html[range.upperBound..<end]).replacingOccurrences(of: "&amp;", with: "&")
            hops += try browser.follow(URL(string: href, relativeTo: base)!.absoluteURL)
        }
        guard let form = hops.last, form.url.path == "/oauth2/authorize", form.response.status == 200 else {
            throw TestFailure("expected the provider's form, got \(hops.map { "\($0.response.status) \($0.url)" })")
        }
        let submitted = try browser.request("POST", form.url, form: [("sub", sub)])
        hops.append(submitted)
        guard let callback = submitted.location else { throw TestFailure("the provider did not redirect back") }
        hops += try browser.follow(callback)
        return hops
    }
}
