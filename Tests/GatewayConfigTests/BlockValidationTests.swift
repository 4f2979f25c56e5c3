// Validation of the upstream, session and provider blocks.

import XCTest

@testable import GatewayConfig

final class BlockValidationTests: XCTestCase {
    func testValidatesUpstreams() {
        TestConfig.check([
            ConfigCase(
                name: "needs a server", text: "upstream app { }\n",
                expected: [#"gateway.conf:1:1: upstream "app": at least one "server" is required"#]),
            ConfigCase(
                name: "servers",
                text: """
                    upstream app {
                      server x;
                      server y:0;
                      server :80;
                      server bad!host:1;
                      server ::1:80;
                      server [::1]:80;
                      server backend.internal:8080;
                    }

                    """,
                expected: [
                    #"gateway.conf:2:10: upstream "app": server "x" has no port"#,
                    #"gateway.conf:3:10: upstream "app": server "y:0" has an invalid port (must be 1-65535)"#,
                    #"gateway.conf:4:10: upstream "app": server ":80" has no host"#,
                    #"gateway.conf:5:10: upstream "app": server "bad!host:1" has an invalid host"#,
                    #"gateway.conf:6:10: upstream "app": server "::1:80" must be HOST:PORT or [IPv6]:PORT"#,
                ]),
            ConfigCase(
                name: "keepalive and timeouts",
                text:
                    "upstream app {\n  server a:1;\n  keepalive -1;\n  connect_timeout soon;\n  keepalive 3;\n}\n",
                expected: [
                    #"gateway.conf:3:13: upstream "app": "keepalive" must be a non-negative integer, got "-1""#,
                    #"gateway.conf:4:19: upstream "app": "connect_timeout" must be a positive duration like 500ms, 10s, 5m, 2h or 1h30m, got "soon""#,
                    #"gateway.conf:5:3: upstream "app": duplicate "keepalive" (first defined at gateway.conf:3:3)"#,
                ]),
            ConfigCase(
                name: "duplicate name",
                text: "workers 1;\n\nupstream app { server a:1; }\nupstream app { server b:1; }\n",
                expected: [
                    #"gateway.conf:4:1: duplicate upstream "app" (first defined at gateway.conf:3:1)"#
                ]),
            ConfigCase(
                name: "bad name", text: "upstream \"my app\" { server a:1; }\n",
                expected: [
                    #"gateway.conf:1:10: upstream "my app": name may contain only letters, digits, ".", "-" and "_""#
                ]),
        ])
    }

    func testValidatesSession() {
        let storeRule = #""store" must be "memory" or "redis://[:password@]host[:port][/db]""#
        let kindRule = #""store" must be "memory", "redis://[:password@]host[:port][/db]", "redis-sentinel://[:password@]host[:port],host[:port],.../master[/db]" or "redis-cluster://[:password@]host:port,host:port,.../""#
        TestConfig.check([
            ConfigCase(
                name: "store kind", text: "session {\n  store file;\n}\n",
                expected: [#"gateway.conf:2:9: session: \#(kindRule), got "file""#]),
            ConfigCase(
                name: "store never shows the password",
                text: "session { store redis://:hunter2@/0; }\n",
                expected: [#"gateway.conf:1:17: session: \#(storeRule), got "redis://:***@/0""#]),
            ConfigCase(
                name: "store user name", text: "session { store redis://user:pw@h; }\n",
                expected: [
                    #"gateway.conf:1:17: session: "store" supports only a password ("redis://:PASSWORD@host"), not a user name"#
                ]),
            ConfigCase(
                name: "store port", text: "session { store redis://h:70000; }\n",
                expected: [
                    #"gateway.conf:1:17: session: "store" has an invalid port (must be 1-65535)"#
                ]),
            ConfigCase(
                name: "store database", text: "session { store redis://h/zero; }\n",
                expected: [
                    #"gateway.conf:1:17: session: "store" database must be a number, got "zero""#
                ]),
            ConfigCase(
                name: "short cookie secret", text: "session { cookie_secret 0123456789; }\n",
                expected: [
                    #"gateway.conf:1:25: session: "cookie_secret" must be at least 32 bytes, got 10"#
                ]),
            ConfigCase(
                name: "cookie name", text: "session { cookie_name \"a b\"; }\n",
                expected: [
                    #"gateway.conf:1:23: session: "cookie_name" must be a cookie name token, got "a b""#
                ]),
            ConfigCase(
                name: "lifetime", text: "session { lifetime forever; }\n",
                expected: [
                    #"gateway.conf:1:20: session: "lifetime" must be a positive duration like 500ms, 10s, 5m, 2h or 1h30m, got "forever""#
                ]),
            ConfigCase(
                name: "duplicate block", text: "session { }\nsession { }\n",
                expected: [
                    #"gateway.conf:2:1: duplicate "session" (first defined at gateway.conf:1:1)"#
                ]),
            ConfigCase(
                name: "typo", text: "session { cookie_nam x; }\n",
                expected: [
                    #"gateway.conf:1:11: session: unknown directive "cookie_nam"; did you mean "cookie_name"?"#
                ]),
            ConfigCase(
                name: "misplaced", text: "session { proxy_pass app; }\n",
                expected: [#"gateway.conf:1:11: "proxy_pass" is not allowed in "session""#]),
        ])
    }

    func testValidatesProviderTypes() {
        let types = "github, google, facebook, gitlab, microsoft, twitter, oidc, oauth2"
        TestConfig.check([
            ConfigCase(
                name: "type required for a name that is no preset",
                text: "provider corp { client_id x; client_secret y; }\n",
                expected: [
                    #"gateway.conf:1:1: provider "corp": "type" is required (one of: \#(types))"#
                ]),
            ConfigCase(
                name: "unknown type",
                text: "provider corp { type okta; client_id x; client_secret y; }\n",
                expected: [
                    #"gateway.conf:1:22: provider "corp": unknown type "okta" (one of: \#(types))"#
                ]),
            ConfigCase(
                name: "oauth1 outside twitter", text: "provider corp { type oauth1; }\n",
                expected: [
                    #"gateway.conf:1:22: provider "corp": type "oauth1" is only valid in "provider twitter""#
                ]),
            ConfigCase(
                name: "bad name",
                text: "provider \"my idp\" { type github; client_id a; client_secret b; }\n",
                expected: [
                    #"gateway.conf:1:10: provider "my idp": name may contain only letters, digits, "-" and "_""#
                ]),
            ConfigCase(
                name: "duplicate name",
                text:
                    "provider github { client_id a; client_secret b; }\nprovider github { client_id a; client_secret b; }\n",
                expected: [
                    #"gateway.conf:2:1: duplicate provider "github" (first defined at gateway.conf:1:1)"#
                ]),
            ConfigCase(
                name: "typo",
                text: "provider github { client_id a; client_secret b; clientid c; }\n",
                expected: [
                    #"gateway.conf:1:49: provider "github": unknown directive "clientid"; did you mean "client_id"?"#
                ]),
        ])
    }

    func testRequiresTheOptionsEachProviderTypeNeeds() {
        TestConfig.check([
            ConfigCase(
                name: "preset without credentials", text: "provider github { }\n",
                expected: [
                    #"gateway.conf:1:1: provider "github": "client_id" is required"#,
                    #"gateway.conf:1:1: provider "github": "client_secret" is required"#,
                ]),
            ConfigCase(
                name: "google, facebook, gitlab, microsoft",
                text: """
                    provider google { client_id x; }
                    provider facebook { client_id x; }
                    provider gitlab { client_secret x; }
                    provider microsoft { client_id x; }

                    """,
                expected: [
                    #"gateway.conf:1:1: provider "google": "client_secret" is required"#,
                    #"gateway.conf:2:1: provider "facebook": "client_secret" is required"#,
                    #"gateway.conf:3:1: provider "gitlab": "client_id" is required"#,
                    #"gateway.conf:4:1: provider "microsoft": "client_secret" is required"#,
                ]),
            ConfigCase(
                name: "oidc needs issuer",
                text: "provider corp { type oidc; client_id x; client_secret y; }\n",
                expected: [#"gateway.conf:1:1: provider "corp": "issuer" is required"#]),
            ConfigCase(
                name: "oauth2 needs endpoints",
                text:
                    "provider corp { type oauth2; client_id x; client_secret y; token_url https://t; }\n",
                expected: [
                    #"gateway.conf:1:1: provider "corp": "authorize_url" is required"#,
                    #"gateway.conf:1:1: provider "corp": "userinfo_url" is required"#,
                ]),
            ConfigCase(
                name: "twitter with OAuth 1.0a", text: "provider twitter { consumer_key k; }\n",
                expected: [#"gateway.conf:1:1: provider "twitter": "consumer_secret" is required"#]),
            ConfigCase(
                name: "twitter with OAuth 2.0",
                text: "provider twitter { type oauth2; consumer_key k; consumer_secret s; }\n",
                expected: [
                    #"gateway.conf:1:1: provider "twitter": "client_id" is required"#,
                    #"gateway.conf:1:1: provider "twitter": "client_secret" is required"#,
                ]),
            ConfigCase(
                name: "unset variables are not also missing",
                text: "provider github { client_id ${ID}; client_secret ${SECRET}; }\n",
                expected: [
                    #"gateway.conf:1:29: environment variable "ID" is not set"#,
                    #"gateway.conf:1:50: environment variable "SECRET" is not set"#,
                ]),
        ])
    }

    func testValidatesTokenAuthMethod() {
        XCTAssertEqual(
            TestConfig.messages(
                "provider corp { type oidc; issuer https://id.example.com; client_id a; client_secret b; token_auth basic; }\n"),
            [#"gateway.conf:1:100: provider "corp": "token_auth" must be one of: client_secret_basic, client_secret_post, none, got "basic""#])
        XCTAssertEqual(
            TestConfig.messages(
                "provider corp { type oidc; issuer https://id.example.com; client_id a; client_secret b; token_auth client_secret_post; }\n"),
            [])
    }

    func testValidatesProviderOptionValues() {
        TestConfig.check([
            ConfigCase(
                name: "url option",
                text:
                    "provider corp { type oidc; issuer login.example.com; client_id x; client_secret y; }\n",
                expected: [
                    #"gateway.conf:1:35: provider "corp": "issuer" must be an http:// or https:// URL, got "login.example.com""#
                ]),
            ConfigCase(
                name: "empty option",
                text: "provider github { client_id \"\"; client_secret y; }\n",
                expected: [#"gateway.conf:1:29: provider "github": "client_id" must not be empty"#]),
        ])
    }

    func testResolvesProviderTypesAndDisplayNames() throws {
        let config = try TestConfig.load(
            """
            provider github { client_id a; client_secret b; }
            provider ghe { type github; client_id a; client_secret b; api_url https://ghe.example.com/api/v3; }
            provider twitter { type oauth2; client_id a; client_secret b; }
            provider x { type twitter; consumer_key a; consumer_secret b; display_name "X (Twitter)"; }
            provider corp { type oauth2; client_id a; client_secret b; authorize_url https://a; token_url https://t; userinfo_url https://u; scopes openid  email profile; }

            """)
        XCTAssertEqual(config.providers.map(\.name), ["github", "ghe", "twitter", "x", "corp"])
        XCTAssertEqual(
            config.providers.map(\.type), [.github, .github, .twitter, .twitter, .oauth2])
        XCTAssertEqual(config.providers.map(\.useOAuth2), [false, false, true, false, false])
        XCTAssertEqual(
            config.providers.map(\.displayName),
            ["GitHub", "GitHub", "Twitter", "X (Twitter)", "corp"])
        guard case .github(let ghe) = config.providers[1].settings else {
            return XCTFail("\(config.providers[1].settings)")
        }
        XCTAssertEqual(ghe.apiURL, "https://ghe.example.com/api/v3")
        guard case .oauth2(let corp) = config.providers[4].settings else {
            return XCTFail("\(config.providers[4].settings)")
        }
        XCTAssertEqual(corp.client.scopes, ["openid", "email", "profile"])
    }
}
