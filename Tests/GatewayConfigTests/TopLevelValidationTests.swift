// Validation of top-level directives and the generic rules every block shares.

import XCTest

@testable import GatewayConfig

final class TopLevelValidationTests: XCTestCase {
    func testEventBackendDefaultsToEpollAndAcceptsDispatch() throws {
        XCTAssertEqual(try TestConfig.load("").eventBackend, .epoll)
        XCTAssertEqual(try TestConfig.load("event_backend dispatch;\n").eventBackend, .dispatch)
        XCTAssertEqual(
            TestConfig.messages("event_backend kqueue;\n"),
            [#"gateway.conf:1:15: "event_backend" must be "epoll" or "dispatch""#])
    }

    func testRejectsUnknownDirectiveWithSuggestion() {
        XCTAssertEqual(
            TestConfig.messages("upstrem app { server a:1; }\n"),
            [#"gateway.conf:1:1: unknown directive "upstrem"; did you mean "upstream"?"#])
    }

    func testSuggestsOnlyDirectivesValidInTheSameBlock() {
        TestConfig.check([
            ConfigCase(
                name: "nothing near",
                text: "frobnicate 1;\n",
                expected: [#"gateway.conf:1:1: unknown directive "frobnicate""#]),
            ConfigCase(
                name: "near a directive of this block",
                text: "upstream app {\n  server a:1;\n  keepalve 3;\n}\n",
                expected: [
                    #"gateway.conf:3:3: upstream "app": unknown directive "keepalve"; did you mean "keepalive"?"#
                ]),
            ConfigCase(
                // "listn" is one edit from "listen", which is not valid in an upstream.
                name: "near a directive of another block only",
                text: "upstream app {\n  server a:1;\n  listn 1;\n}\n",
                expected: [#"gateway.conf:3:3: upstream "app": unknown directive "listn""#]),
            ConfigCase(
                name: "swapped letters",
                text: "wrokers 2;\n",
                expected: [
                    #"gateway.conf:1:1: unknown directive "wrokers"; did you mean "workers"?"#
                ]),
            ConfigCase(
                name: "include is valid everywhere",
                text: "location / {\n  inclde x;\n}\n",
                expected: [
                    #"gateway.conf:1:1: location "/": "proxy_pass" is required"#,
                    #"gateway.conf:1:1: location "/": "auth required" needs sign-in, which this build does not support yet; use "auth off" for public paths"#,
                    #"gateway.conf:2:3: location "/": unknown directive "inclde"; did you mean "include"?"#,
                ]),
        ])
    }

    func testRejectsDirectiveInTheWrongBlock() {
        TestConfig.check([
            ConfigCase(
                name: "location directive in upstream",
                text: "upstream app { server a:1; proxy_pass app; }\n",
                expected: [#"gateway.conf:1:28: "proxy_pass" is not allowed in "upstream""#]),
            ConfigCase(
                name: "block directive inside a block",
                text:
                    "location / { auth off; proxy_pass app; upstream x { server a:1; } }\nupstream app { server a:1; }\n",
                expected: [#"gateway.conf:1:40: "upstream" is not allowed in "location""#]),
            ConfigCase(
                name: "block directive at the top level",
                text: "server a:1;\n",
                expected: [#"gateway.conf:1:1: "server" is not allowed at the top level"#]),
        ])
    }

    func testChecksBlocksAndArgumentCounts() {
        TestConfig.check([
            ConfigCase(
                name: "block directive without block",
                text: "upstream app;\n",
                expected: [#"gateway.conf:1:1: "upstream" expects a block { ... }"#]),
            ConfigCase(
                name: "simple directive with block",
                text: "workers 2 { }\n",
                expected: [#"gateway.conf:1:1: "workers" does not take a block"#]),
            ConfigCase(
                name: "argument counts",
                text:
                    "max_connections;\nworkers 1 2;\nhsts 1 2 3;\nsession x { }\nerror_log;\n",
                expected: [
                    #"gateway.conf:1:1: "max_connections" expects 1 argument, got 0"#,
                    #"gateway.conf:2:1: "workers" expects 1 argument, got 2"#,
                    #"gateway.conf:3:1: "hsts" expects 1 to 2 arguments, got 3"#,
                    #"gateway.conf:4:1: "session" takes no arguments, got 1"#,
                    #"gateway.conf:5:1: "error_log" expects 1 to 2 arguments, got 0"#,
                ]),
            ConfigCase(
                name: "argument count inside a block",
                text: "upstream app { server a:1; keepalive; }\n",
                expected: [
                    #"gateway.conf:1:28: upstream "app": "keepalive" expects 1 argument, got 0"#
                ]),
            ConfigCase(
                name: "duplicate single-use directive",
                text: "workers 1;\nworkers 2;\n",
                expected: [
                    #"gateway.conf:2:1: duplicate "workers" (first defined at gateway.conf:1:1)"#
                ]),
        ])
    }

    func testValidatesListen() {
        TestConfig.check([
            ConfigCase(
                name: "addresses",
                text: """
                    listen 0.0.0.0:-1;
                    listen 127.0.0.1:65536;
                    listen 0.0.0.0;
                    listen ::1:8080;
                    listen example.com:80;
                    listen 8080;
                    listen 0.0.0.0:8080;
                    listen 70000;
                    listen 127.0.0.1:0;
                    listen 127.0.0.1:0;

                    """,
                expected: [
                    #"gateway.conf:1:8: listen "0.0.0.0:-1" has an invalid port (must be 1-65535, or 0 for any free port)"#,
                    #"gateway.conf:2:8: listen "127.0.0.1:65536" has an invalid port (must be 1-65535, or 0 for any free port)"#,
                    #"gateway.conf:3:8: listen "0.0.0.0" has no port"#,
                    #"gateway.conf:4:8: listen "::1:8080" must be HOST:PORT, [IPv6]:PORT or PORT"#,
                    #"gateway.conf:5:8: listen "example.com:80" has an invalid host (must be a numeric IPv4 address, an IPv6 address in brackets or "localhost")"#,
                    #"gateway.conf:7:1: duplicate listen "0.0.0.0:8080" (first defined at gateway.conf:6:1)"#,
                    #"gateway.conf:8:8: listen "70000" has an invalid port (must be 1-65535, or 0 for any free port)"#,
                ]),
            ConfigCase(
                name: "tls",
                text:
                    "listen 8443 tls cert=/c;\nlisten 8444 tls cert=/c extra;\nlisten 8445 cert=/c key=/k;\n",
                expected: [
                    #"gateway.conf:1:1: listen "8443": "tls" needs cert=FILE and key=FILE"#,
                    #"gateway.conf:2:25: listen "8444": unexpected argument "extra" (expected "tls cert=FILE key=FILE [cert=FILE key=FILE ...]")"#,
                    #"gateway.conf:3:13: listen "8445": unexpected argument "cert=/c" (expected "tls cert=FILE key=FILE [cert=FILE key=FILE ...]")"#,
                ]),
        ])
    }

    func testValidatesPublicURL() {
        TestConfig.check([
            ConfigCase(
                name: "scheme", text: "public_url ftp://x;\n",
                expected: [
                    #"gateway.conf:1:12: "public_url" must start with http:// or https://, got "ftp://x""#
                ]),
            ConfigCase(
                name: "path", text: "public_url https://x.example.com/app/;\n",
                expected: [
                    #"gateway.conf:1:12: "public_url" must not have a path, query or fragment, got "https://x.example.com/app/""#
                ]),
            ConfigCase(
                name: "query", text: "public_url https://x.example.com?a=1;\n",
                expected: [
                    #"gateway.conf:1:12: "public_url" must not have a path, query or fragment, got "https://x.example.com?a=1""#
                ]),
            ConfigCase(
                name: "port", text: "public_url https://x.example.com:0;\n",
                expected: [
                    #"gateway.conf:1:12: "public_url" has an invalid port (must be 1-65535)"#
                ]),
            ConfigCase(
                name: "host", text: "public_url https://bad!host;\n",
                expected: [
                    #"gateway.conf:1:12: "public_url" has an invalid host, got "https://bad!host""#
                ]),
            ConfigCase(
                name: "trailing slash is fine", text: "public_url https://x.example.com/;\n",
                expected: []),
        ])
    }

    func testValidatesNumbersSizesDurationsAndBooleans() {
        let sizeRule = "must be a positive size in bytes, optionally with k, m or g (like 16k)"
        let durationRule = "must be a positive duration like 500ms, 10s, 5m, 2h or 1h30m"
        TestConfig.check([
            ConfigCase(
                name: "integers", text: "workers 0;\nmax_connections many;\n",
                expected: [
                    #"gateway.conf:1:9: "workers" must be a positive integer, got "0""#,
                    #"gateway.conf:2:17: "max_connections" must be a positive integer, got "many""#,
                ]),
            ConfigCase(
                name: "size with unknown suffix", text: "max_header_size 16q;\n",
                expected: [#"gateway.conf:1:17: "max_header_size" \#(sizeRule), got "16q""#]),
            ConfigCase(
                name: "size zero", text: "max_header_size 0;\n",
                expected: [#"gateway.conf:1:17: "max_header_size" \#(sizeRule), got "0""#]),
            ConfigCase(
                name: "size overflow", text: "max_header_size 99999999999999g;\n",
                expected: [
                    #"gateway.conf:1:17: "max_header_size" \#(sizeRule), got "99999999999999g""#
                ]),
            ConfigCase(
                name: "durations",
                text: """
                    client_header_timeout 10x;
                    client_body_timeout 1h30;
                    keepalive_timeout 30m1h;
                    send_timeout 0s;
                    shutdown_timeout -1s;
                    health_check_interval 1.5s;

                    """,
                expected: [
                    #"gateway.conf:1:23: "client_header_timeout" \#(durationRule), got "10x""#,
                    #"gateway.conf:2:21: "client_body_timeout" \#(durationRule), got "1h30""#,
                    #"gateway.conf:3:19: "keepalive_timeout" \#(durationRule), got "30m1h""#,
                    #"gateway.conf:4:14: "send_timeout" \#(durationRule), got "0s""#,
                    #"gateway.conf:5:18: "shutdown_timeout" \#(durationRule), got "-1s""#,
                    #"gateway.conf:6:23: "health_check_interval" \#(durationRule), got "1.5s""#,
                ]),
            ConfigCase(
                name: "boolean", text: "auto_redirect yes;\n",
                expected: [#"gateway.conf:1:15: "auto_redirect" must be "on" or "off", got "yes""#]),
        ])
    }

    func testValidatesAuthPrefixAndLogs() {
        TestConfig.check([
            ConfigCase(
                name: "auth_prefix without slash", text: "auth_prefix auth;\n",
                expected: [
                    #"gateway.conf:1:13: "auth_prefix" must be a path like /auth, got "auth""#
                ]),
            ConfigCase(
                name: "auth_prefix root", text: "auth_prefix /;\n",
                expected: [#"gateway.conf:1:13: "auth_prefix" must be a path like /auth, got "/""#]),
            ConfigCase(
                name: "error_log off", text: "access_log off;\nerror_log off;\n",
                expected: [
                    #"gateway.conf:2:11: "error_log" cannot be off; use a file, stdout or stderr"#
                ]),
            ConfigCase(
                name: "error_log level", text: "error_log stderr loud;\n",
                expected: [
                    #"gateway.conf:1:18: "error_log" level must be one of: debug, info, notice, warning, error; got "loud""#
                ]),
        ])
    }

    func testReportsUnsetVariableOnlyOnce() {
        // The directive with the unset variable is not validated further: no "positive integer".
        XCTAssertEqual(
            TestConfig.messages("workers ${WORKERS};\n"),
            [#"gateway.conf:1:9: environment variable "WORKERS" is not set"#])
        XCTAssertEqual(
            try TestConfig.load("workers ${WORKERS};\n", environment: ["WORKERS": "7"]).workers, 7)
    }
}
