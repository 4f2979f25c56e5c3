// Validation of location blocks, allow rules, identity headers, and the sign-in feature gate.

import XCTest

@testable import GatewayConfig

final class LocationValidationTests: XCTestCase {
    /// Line 1 of every case, so locations have an upstream to name.
    private let app = "upstream app { server 127.0.0.1:3000; }\n"
    private let gate =
        #""auth required" needs sign-in, which this build does not support yet; use "auth off" for public paths"#

    func testValidatesLocationBasics() {
        TestConfig.check([
            ConfigCase(
                name: "prefix must start with a slash",
                text: app + "location admin/ { auth off; proxy_pass app; }\n",
                expected: [#"gateway.conf:2:10: location "admin/": prefix must start with "/""#]),
            ConfigCase(
                name: "prefix without query",
                text: app + "location /a?b { auth off; proxy_pass app; }\n",
                expected: [
                    ##"gateway.conf:2:10: location "/a?b": prefix must not contain "?", "#", spaces or control characters"##
                ]),
            ConfigCase(
                name: "proxy_pass required", text: app + "location / { auth off; }\n",
                expected: [#"gateway.conf:2:1: location "/": "proxy_pass" is required"#]),
            ConfigCase(
                name: "duplicate prefix",
                text: app
                    + "location / { auth off; proxy_pass app; }\nlocation / { auth off; proxy_pass app; }\n",
                expected: [
                    #"gateway.conf:3:1: duplicate location "/" (first defined at gateway.conf:2:1)"#
                ]),
            ConfigCase(
                name: "auth value", text: app + "location / { auth on; proxy_pass app; }\n",
                expected: [
                    #"gateway.conf:2:19: location "/": "auth" must be "required" or "off", got "on""#
                ]),
            ConfigCase(
                name: "misplaced directives",
                text: app
                    + "location / { auth off; proxy_pass app; server a:1; location /x/ { } }\n",
                expected: [
                    #"gateway.conf:2:40: "server" is not allowed in "location""#,
                    #"gateway.conf:2:52: "location" is not allowed in "location""#,
                ]),
        ])
    }

    func testRejectsProxyPassToUnknownUpstream() {
        TestConfig.check([
            ConfigCase(
                name: "near an upstream",
                text: app + "location /admin/ { auth off; proxy_pass ap; }\n",
                expected: [
                    #"gateway.conf:2:41: location "/admin/": proxy_pass names unknown upstream "ap"; did you mean "app"?"#
                ]),
            ConfigCase(
                name: "nothing near", text: app + "location / { auth off; proxy_pass backend; }\n",
                expected: [
                    #"gateway.conf:2:35: location "/": proxy_pass names unknown upstream "backend""#
                ]),
            ConfigCase(
                // The upstream has its own error; the location should not add a second one.
                name: "upstream with errors still counts as defined",
                text: "upstream app { }\nlocation / { auth off; proxy_pass app; }\n",
                expected: [#"gateway.conf:1:1: upstream "app": at least one "server" is required"#]),
        ])
    }

    func testValidatesAllowRules() {
        let text = """
            \(app)provider github { client_id a; client_secret b; }
            location / {
              auth off;
              proxy_pass app;
              allow emial a@b.c;
              allow grup admins;
              allow email not-an-address;
              allow email_domain "bad domain";
              allow provider gitlab;
              allow any everyone;
              allow email;
              allow;
              allow email jörg@example.com;
            }

            """
        TestConfig.check([
            ConfigCase(
                name: "allow rules", text: text,
                expected: [
                    #"gateway.conf:6:9: location "/": unknown allow kind "emial"; did you mean "email"?"#,
                    #"gateway.conf:7:9: location "/": unknown allow kind "grup"; did you mean "group"?"#,
                    #"gateway.conf:8:15: location "/": allow email "not-an-address" is not an email address"#,
                    #"gateway.conf:9:22: location "/": allow email_domain "bad domain" is not a domain name"#,
                    #"gateway.conf:10:18: location "/": allow provider names unknown provider "gitlab"; did you mean "github"?"#,
                    #"gateway.conf:11:3: location "/": "allow any" takes no value, got 1"#,
                    #"gateway.conf:12:3: location "/": "allow email" expects 1 value, got 0"#,
                    #"gateway.conf:13:3: location "/": "allow" expects 1 to 3 arguments, got 0"#,
                    #"gateway.conf:14:15: location "/": allow email "jörg@example.com" is not plain ASCII; such addresses never count as signed-in emails"#,
                ]),
            ConfigCase(
                name: "github_org needs a github provider",
                text: app + "location / { auth off; proxy_pass app; allow github_org acme; }\n",
                expected: [
                    #"gateway.conf:2:57: location "/": allow github_org needs a provider of type github"#
                ]),
            ConfigCase(
                name: "github_org with a github-type provider of another name",
                text: app + "provider ghe { type github; client_id a; client_secret b; }\n"
                    + "location / { auth off; proxy_pass app; allow github_org acme; }\n",
                expected: []),
        ])
    }

    func testParsesAllowRules() throws {
        let config = try TestConfig.load(
            app + """
                provider github { client_id a; client_secret b; }
                location / {
                  auth off;
                  proxy_pass app;
                  allow email Alice@Example.COM;
                  allow email_domain @Example.com;
                  allow provider github;
                  allow user 42;
                  allow github_org acme;
                  allow any;
                }

                """)
        XCTAssertEqual(
            config.locations[0].allow,
            [
                .email("alice@example.com"), .emailDomain("example.com"), .provider("github"),
                .user("42"), .githubOrg("acme"), .anyone,
            ])
    }

    func testValidatesIdentityHeaders() {
        let text = """
            \(app)location / {
              auth off;
              proxy_pass app;
              identity_header mail X-Mail;
              identity_header email "X Mail";
              identity_header email Host;
              identity_header email X-Email;
              identity_header email X-Other;
              identity_header user x-email;
              identity_header name;
            }

            """
        TestConfig.check([
            ConfigCase(
                name: "identity headers", text: text,
                expected: [
                    #"gateway.conf:5:19: location "/": identity_header field "mail" is unknown (one of: user_id, user, email, email_verified, name, provider, identities)"#,
                    #"gateway.conf:6:25: location "/": identity_header "X Mail" is not a valid header name"#,
                    #"gateway.conf:7:25: location "/": identity_header "Host" cannot be used: the gateway manages that header"#,
                    #"gateway.conf:9:3: location "/": duplicate identity_header for "email" (first defined at gateway.conf:8:3)"#,
                    #"gateway.conf:10:24: location "/": identity_header "x-email" is already used for "email""#,
                    #"gateway.conf:11:3: location "/": "identity_header" expects 2 arguments, got 1"#,
                ])
        ])
    }

    func testEmailVerifiedIsARemappableIdentityField() throws {
        let config = try TestConfig.load(
            app + "location / { auth off; proxy_pass app; identity_header email_verified X-Mail-Ok; }\n")
        XCTAssertEqual(config.locations[0].headerName(for: .emailVerified), "X-Mail-Ok")
        XCTAssertEqual(IdentityField.emailVerified.defaultHeader, "X-Auth-Email-Verified")
    }

    // MARK: - Sign-in feature gate

    func testSignInIsAvailableInThisBuild() {
        XCTAssertTrue(ConfigLoader.signInAvailable)
    }

    func testRejectsAuthRequiredWhileSignInIsUnavailable() {
        TestConfig.check([
            ConfigCase(
                name: "explicit auth required",
                text: app + "location /admin/ { auth required; proxy_pass app; }\n",
                expected: [#"gateway.conf:2:1: location "/admin/": \#(gate)"#]),
            ConfigCase(
                name: "auth required is the default",
                text: app + "\nlocation / { proxy_pass app; }\n",
                expected: [#"gateway.conf:3:1: location "/": \#(gate)"#]),
            ConfigCase(
                name: "every protected location is reported",
                text: app
                    + "location /a/ { proxy_pass app; }\nlocation /b/ { auth off; proxy_pass app; }\n"
                    + "location /c/ { auth required; allow any; proxy_pass app; }\n",
                expected: [
                    #"gateway.conf:2:1: location "/a/": \#(gate)"#,
                    #"gateway.conf:4:1: location "/c/": \#(gate)"#,
                ]),
            ConfigCase(
                name: "auth off is served",
                text: app + "location / { auth off; proxy_pass app; }\n",
                expected: []),
        ])
    }

    func testRequiresProviderAndCookieSecretOnceSignInIsAvailable() throws {
        let protected =
            app + "location /a/ { auth off; proxy_pass app; }\nlocation / { proxy_pass app; }\n"
        XCTAssertEqual(
            TestConfig.messages(protected, signInAvailable: true),
            [
                #"gateway.conf:3:1: location "/": "auth required" needs at least one "provider" block"#,
                #"gateway.conf:3:1: location "/": "auth required" needs "cookie_secret" in "session""#,
                #"gateway.conf:3:1: location "/": "auth required" needs "public_url" (callback URLs are built from it)"#,
            ])
        let complete =
            protected + "provider github { client_id a; client_secret b; }\n"
            + "session { cookie_secret 0123456789abcdef0123456789abcdef; }\npublic_url https://app.example.com;\n"
        XCTAssertEqual(TestConfig.messages(complete, signInAvailable: true), [])
        let config = try TestConfig.load(complete, signInAvailable: true)
        XCTAssertEqual(config.locations.map(\.auth), [.off, .required])
        // Public-only configurations need neither.
        XCTAssertEqual(
            TestConfig.messages(
                app + "location / { auth off; proxy_pass app; }\n", signInAvailable: true), [])
    }
}
