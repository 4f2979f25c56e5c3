// `accept bearer`, `identity_assertion` and `identity_assertion_key`: valid forms load, and
// each invalid one is refused with its own file:line:col message.

import XCTest

@testable import GatewayConfig

final class IdentityDirectiveTests: XCTestCase {
    private func config(top: String = "", location: String, publicURL: Bool = true) -> String {
        (publicURL ? "public_url https://app.example.com;\n" : "\n") + "upstream app { server 127.0.0.1:3000; }\n"
            + "session { cookie_secret 0123456789abcdef0123456789abcdef; }\n"
            + "provider corp { type oidc; issuer https://login.example.com; client_id a; client_secret b; }\n"
            + top + "\nlocation / { \(location) proxy_pass app; }\n"
    }

    private func messages(_ text: String) -> [String] { TestConfig.messages(text, signInAvailable: true) }

    func testValidFormsLoad() throws {
        let loaded = try TestConfig.load(
            config(
                top: "identity_assertion on;",
                location: "accept bearer audience=api issuer=https://login.example.com/t; identity_assertion off;"),
            signInAvailable: true)
        XCTAssertEqual(loaded.locations[0].bearer, BearerConfig(issuer: "https://login.example.com/t", audience: "api"))
        XCTAssertEqual(loaded.locations[0].identityAssertion, false)
        XCTAssertTrue(loaded.identityAssertion)
        XCTAssertNil(loaded.identityAssertionKeyFile)
        let plain = try TestConfig.load(config(location: ""), signInAvailable: true)
        XCTAssertNil(plain.locations[0].bearer)
        XCTAssertNil(plain.locations[0].identityAssertion)
        XCTAssertFalse(plain.identityAssertion)
    }

    func testInvalidAcceptFormsAreRefused() {
        let rows: [(String, String)] = [
            (
                "accept basic issuer=https://a.example audience=x;",
                #"gateway.conf:6:21: location "/": "accept" takes "bearer", got "basic""#
            ),
            (
                "accept bearer issuer=ftp://a.example audience=x;",
                #"gateway.conf:6:28: location "/": "accept bearer" issuer "ftp://a.example" is not an http(s) URL"#
            ),
            (
                "accept bearer issuer=https://a.example audience=;",
                #"gateway.conf:6:53: location "/": "accept bearer" audience must not be empty"#
            ),
            (
                "accept bearer issuer=https://a.example scope=x;",
                #"gateway.conf:6:53: location "/": "accept bearer" takes issuer=URL and audience=AUD, got "scope=x""#
            ),
            (
                "accept bearer issuer=https://a.example issuer=https://b.example;",
                #"gateway.conf:6:53: location "/": "accept bearer" has issuer= twice"#
            ),
            (
                "accept bearer issuer=https://a.example;",
                #"gateway.conf:6:14: location "/": "accept" expects 3 arguments, got 2"#
            ),
            (
                "auth off; accept bearer issuer=https://a.example audience=x;",
                #"gateway.conf:6:24: location "/": "accept bearer" needs "auth required": an "auth off" location checks nothing"#
            ),
        ]
        for (directive, expected) in rows {
            XCTAssertEqual(messages(config(location: directive)), [expected], directive)
        }
    }

    func testAssertionNeedsAPublicURLAndAReadableKey() throws {
        XCTAssertEqual(
            messages(config(top: "identity_assertion maybe;", location: "")),
            [#"gateway.conf:5:20: "identity_assertion" must be "on" or "off", got "maybe""#])
        XCTAssertTrue(
            messages(config(top: "identity_assertion on;", location: "", publicURL: false)).contains(
                #"gateway.conf:5:1: "identity_assertion on" needs "public_url" (the assertion's iss and aud)"#))
        XCTAssertEqual(
            messages(config(top: "identity_assertion_key /nonexistent/key.pem;", location: "")),
            [
                #"gateway.conf:5:24: "identity_assertion_key" "/nonexistent/key.pem" cannot be read: No such file or directory"#
            ])
        let files = try TemporaryDirectory()
        let notKey = try files.write("cert.pem", "-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n")
        XCTAssertEqual(
            messages(config(top: "identity_assertion_key \(notKey);", location: "")),
            [#"gateway.conf:5:24: "identity_assertion_key" "\#(notKey)" holds no PEM private key"#])
        let key = try files.write("key.pem", "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n")
        XCTAssertEqual(
            try TestConfig.load(config(top: "identity_assertion_key \(key);", location: ""), signInAvailable: true)
                .identityAssertionKeyFile, key)
    }
}
