// A whole configuration (DESIGN.md's example), defaults, and many errors reported at once.

import XCTest

@testable import GatewayConfig

final class FullConfigTests: XCTestCase {
    static let environment = [
        "GATEWAY_COOKIE_SECRET": "0123456789abcdef0123456789abcdef-secret",
        "GITHUB_ID": "gh-id", "GITHUB_SECRET": "gh-secret", "TW_KEY": "tw-key",
        "TW_SECRET": "tw-secret",
    ]

    /// DESIGN.md's example with `auth off` everywhere, the TLS listener on, and a few more values.
    static let designExample = """
        listen 0.0.0.0:8080;
        listen 0.0.0.0:8443 tls cert=/etc/gateway/cert.pem key=/etc/gateway/key.pem;
        listen [::1]:8081;
        public_url https://app.example.com;        # callback URLs are built from this
        auto_redirect on;                          # one provider: skip the sign-in page
        max_header_size 32k;
        keepalive_timeout 1m30s;
        error_log /var/log/gateway.log warning;

        upstream app {
            server 127.0.0.1:3000;
            server app2.internal:3001;
            keepalive 64;
            connect_timeout 2s;
            read_timeout 60s;
        }

        session {
            store redis://:pa@ss@127.0.0.1:6380/2;  # or: memory (default; one instance only)
            cookie_name __gateway;
            cookie_secret ${GATEWAY_COOKIE_SECRET};  # at least 32 bytes
            lifetime 12h;
            idle_timeout 2h;
        }

        provider github  { client_id ${GITHUB_ID}; client_secret ${GITHUB_SECRET}; }
        provider twitter { consumer_key ${TW_KEY}; consumer_secret ${TW_SECRET}; }   # OAuth 1.0a
        provider corp    { type oidc; issuer https://login.example.com; client_id x; client_secret y; }

        location /static/ { auth off; proxy_pass app; }
        location /admin/  { auth off; allow email alice@example.com; proxy_pass app; }
        location /        {
            auth off;
            allow email_domain example.com;
            proxy_pass app;
            identity_header email X-Forwarded-Email;
        }

        """

    func testLoadsDesignExampleWithAuthOff() throws {
        // The certificate and key must be readable; their contents are GatewayTLS's business.
        let directory = try TemporaryDirectory()
        try directory.write("cert.pem", "certificate")
        try directory.write("key.pem", "key")
        let text = Self.designExample.replacingOccurrences(of: "/etc/gateway/", with: directory.path + "/")
        let config = try TestConfig.load(text, environment: Self.environment)

        XCTAssertEqual(config.sourceFile, "gateway.conf")
        XCTAssertEqual(
            config.listeners,
            [
                ListenerConfig(host: "0.0.0.0", port: 8080),
                ListenerConfig(
                    host: "0.0.0.0", port: 8443,
                    tls: ListenerTLSConfig(
                        certificates: [
                            TLSFiles(certificatePath: directory.path + "/cert.pem", keyPath: directory.path + "/key.pem")
                        ],
                        location: SourceLocation(file: "gateway.conf", line: 2, column: 1))),
                ListenerConfig(host: "::1", port: 8081),
            ])
        XCTAssertEqual(
            config.publicURL, PublicURL(isHTTPS: true, host: "app.example.com", port: nil))
        XCTAssertEqual(config.hsts, HSTSConfig(maxAge: 31_536_000, includeSubdomains: false))
        XCTAssertEqual(config.warnings, [])
        XCTAssertTrue(config.autoRedirect)
        XCTAssertEqual(config.maxHeaderSize, 32 * 1024)
        XCTAssertEqual(config.keepaliveTimeout, .seconds(90))
        XCTAssertEqual(config.errorLog, .file("/var/log/gateway.log"))
        XCTAssertEqual(config.errorLogLevel, .warning)

        XCTAssertEqual(config.upstreams.count, 1)
        let app = try XCTUnwrap(config.upstream(named: "app"))
        XCTAssertEqual(
            app.servers,
            [
                UpstreamServer(host: "127.0.0.1", port: 3000),
                UpstreamServer(host: "app2.internal", port: 3001),
            ])
        XCTAssertEqual(app.keepalive, 64)
        XCTAssertEqual(app.connectTimeout, .seconds(2))
        XCTAssertEqual(app.readTimeout, .seconds(60))
        XCTAssertEqual(app.sendTimeout, ConfigDefaults.upstreamSendTimeout)
        XCTAssertEqual(app.location.description, "gateway.conf:10:1")

        XCTAssertEqual(
            config.session.store,
            .redis(host: "127.0.0.1", port: 6380, database: 2, password: "pa@ss"))
        XCTAssertEqual(config.session.cookieName, "__gateway")
        XCTAssertEqual(config.session.cookieSecret, "0123456789abcdef0123456789abcdef-secret")
        XCTAssertEqual(config.session.lifetime, .seconds(12 * 3600))
        XCTAssertEqual(config.session.idleTimeout, .seconds(2 * 3600))

        XCTAssertEqual(config.providers.map(\.name), ["github", "twitter", "corp"])
        XCTAssertEqual(config.providers.map(\.type), [.github, .twitter, .oidc])
        XCTAssertEqual(config.providers.map(\.useOAuth2), [false, false, false])
        XCTAssertEqual(config.providers.map(\.displayName), ["GitHub", "Twitter", "corp"])
        XCTAssertEqual(
            config.providers[0].settings,
            .github(
                GitHubSettings(
                    client: OAuthClientSettings(
                        clientID: "gh-id", clientSecret: "gh-secret", tokenAuth: .clientSecretPost,
                        scopes: ["read:user", "user:email"]))))
        XCTAssertEqual(
            config.providers[1].settings,
            .twitter(TwitterOAuth1Settings(consumerKey: "tw-key", consumerSecret: "tw-secret")))
        XCTAssertEqual(
            config.providers[2].settings,
            .oidc(
                OIDCSettings(
                    issuer: "https://login.example.com",
                    client: OAuthClientSettings(
                        clientID: "x", clientSecret: "y", tokenAuth: .clientSecretBasic,
                        scopes: ["openid", "email", "profile"]))))
        XCTAssertEqual(config.providers.map(\.caFile), [nil, nil, nil])

        XCTAssertEqual(config.locations.map(\.prefix), ["/static/", "/admin/", "/"])
        XCTAssertEqual(config.locations.map(\.auth), [.off, .off, .off])
        XCTAssertEqual(config.locations.map(\.proxyPass), ["app", "app", "app"])
        XCTAssertEqual(
            config.locations.map(\.allow),
            [[], [.email("alice@example.com")], [.emailDomain("example.com")]])
        XCTAssertEqual(config.locations[2].identityHeaders, [.email: "X-Forwarded-Email"])
        XCTAssertEqual(config.locations[2].headerName(for: .email), "X-Forwarded-Email")
        XCTAssertEqual(config.locations[2].headerName(for: .userID), "X-Auth-User-Id")
        XCTAssertEqual(config.locations[1].location.description, "gateway.conf:31:1")
    }

    func testEmptyFileLoadsDefaults() throws {
        let config = try TestConfig.load("# nothing but a comment\n")
        XCTAssertEqual(config.listeners, [ListenerConfig(host: "0.0.0.0", port: 8080)])
        XCTAssertNil(config.publicURL)
        XCTAssertFalse(config.autoRedirect)
        XCTAssertEqual(config.authPrefix, "/auth")
        XCTAssertEqual(config.workers, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        XCTAssertGreaterThanOrEqual(config.workers, 1)
        XCTAssertEqual(config.maxConnections, 10_000)
        XCTAssertEqual(config.maxHeaderSize, 16 * 1024)
        XCTAssertEqual(config.clientHeaderTimeout, .seconds(10))
        XCTAssertEqual(config.clientBodyTimeout, .seconds(60))
        XCTAssertEqual(config.keepaliveTimeout, .seconds(75))
        XCTAssertEqual(config.sendTimeout, .seconds(60))
        XCTAssertEqual(config.shutdownTimeout, .seconds(10))
        XCTAssertEqual(config.healthCheckInterval, .seconds(5))
        XCTAssertEqual(config.accessLog, .stdout)
        XCTAssertEqual(config.errorLog, .stderr)
        XCTAssertEqual(config.errorLogLevel, .info)
        XCTAssertEqual(
            config.session,
            SessionConfig(
                store: .memory, cookieName: "__gateway", cookieSecret: nil,
                lifetime: .seconds(43_200),
                idleTimeout: .seconds(7_200)))
        XCTAssertEqual(config.upstreams, [])
        XCTAssertEqual(config.providers, [])
        XCTAssertEqual(config.locations, [])
    }

    func testUpstreamDefaults() throws {
        let config = try TestConfig.load("upstream app { server [::1]:3000; }\n")
        let app = try XCTUnwrap(config.upstreams.first)
        XCTAssertEqual(app.servers, [UpstreamServer(host: "::1", port: 3000)])
        XCTAssertEqual(app.servers[0].description, "[::1]:3000")
        XCTAssertEqual(app.keepalive, 32)
        XCTAssertEqual(app.connectTimeout, .seconds(2))
        XCTAssertEqual(app.readTimeout, .seconds(60))
        XCTAssertEqual(app.sendTimeout, .seconds(60))
    }

    func testReportsEveryProblemInFileOrder() {
        // Locations are checked after upstreams and providers, and listeners after other
        // top-level values; the report is still in line order.
        let text = """
            listen 0.0.0.0:99999;
            location /admin/ { auth off; proxy_pass ap; }
            workers zero;
            upstream app {
                server 127.0.0.1;
                keepalive many;
            }
            session { cookie_secret ${SECRET}; store memcached; }
            provider corp { client_id x; }
            location / { allow email_domain example.com; proxy_pass app; }
            upstrem other { server a:1; }

            """
        XCTAssertEqual(
            TestConfig.messages(text),
            [
                #"gateway.conf:1:8: listen "0.0.0.0:99999" has an invalid port (must be 1-65535, or 0 for any free port)"#,
                #"gateway.conf:2:41: location "/admin/": proxy_pass names unknown upstream "ap"; did you mean "app"?"#,
                #"gateway.conf:3:9: "workers" must be a positive integer, got "zero""#,
                #"gateway.conf:5:12: upstream "app": server "127.0.0.1" has no port"#,
                #"gateway.conf:6:15: upstream "app": "keepalive" must be a non-negative integer, got "many""#,
                #"gateway.conf:8:25: environment variable "SECRET" is not set"#,
                #"gateway.conf:8:42: session: "store" must be "memory", "redis://[:password@]host[:port][/db]", "redis-sentinel://[:password@]host[:port],host[:port],.../master[/db]" or "redis-cluster://[:password@]host:port,host:port,.../", got "memcached""#,
                #"gateway.conf:9:1: provider "corp": "type" is required (one of: github, google, facebook, gitlab, microsoft, twitter, oidc, oauth2)"#,
                #"gateway.conf:10:1: location "/": "auth required" needs sign-in, which this build does not support yet; use "auth off" for public paths"#,
                #"gateway.conf:11:1: unknown directive "upstrem"; did you mean "upstream"?"#,
            ])
    }

    func testErrorDescriptionHasOneDiagnosticPerLine() {
        XCTAssertThrowsError(try TestConfig.load("workers 0;\nfoo;\n")) { error in
            XCTAssertEqual(
                (error as? ConfigErrors)?.description,
                """
                gateway.conf:1:9: "workers" must be a positive integer, got "0"
                gateway.conf:2:1: unknown directive "foo"
                """)
        }
    }

    func testPublicLoadUsesTheGateAndTheSuppliedEnvironment() {
        let text = "upstream app { server a:1; }\nlocation / { proxy_pass ${UP}; }\n"
        XCTAssertThrowsError(
            try ConfigLoader.load(text: text, file: "g.conf", environment: ["UP": "app"])
        ) { error in
            XCTAssertEqual(
                (error as? ConfigErrors)?.diagnostics.map(\.description),
                [
                    #"g.conf:2:1: location "/": "auth required" needs at least one "provider" block"#,
                    #"g.conf:2:1: location "/": "auth required" needs "cookie_secret" in "session""#,
                    #"g.conf:2:1: location "/": "auth required" needs "public_url" (callback URLs are built from it)"#,
                ])
        }
    }
}
