// TLS directives: several certificates per listen, ssl_protocols / ssl_ciphers that cannot
// weaken below TLS 1.2, hsts, and HTTPS upstreams with ca_file and tls_verify (and its warning).

import XCTest

@testable import GatewayConfig

final class TLSDirectiveTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var a = ""
    private var b = ""

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        a = try directory.write("a.pem", "pem")
        b = try directory.write("b.pem", "pem")
    }

    private func warnings(_ text: String) throws -> [String] {
        try TestConfig.load(text).warnings.map(\.description)
    }

    func testListenTakesSeveralCertificatePairsInOrder() throws {
        let config = try TestConfig.load("listen 8443 tls cert=\(a) key=\(b) cert=\(b) key=\(a);\n")
        let tls = try XCTUnwrap(config.listeners.first?.tls)
        XCTAssertEqual(
            tls.certificates,
            [TLSFiles(certificatePath: a, keyPath: b), TLSFiles(certificatePath: b, keyPath: a)])
        XCTAssertEqual(tls.minimumVersion, .tls12)
        XCTAssertEqual(tls.maximumVersion, .tls13)
        XCTAssertEqual(tls.ciphers, ConfigDefaults.tls12Ciphers)
        XCTAssertEqual(tls.cipherSuites, ConfigDefaults.tls13CipherSuites)
        XCTAssertEqual(tls.location.description, "gateway.conf:1:1")
    }

    func testRejectsUnpairedCertificatesAndKeys() {
        TestConfig.check([
            ConfigCase(
                name: "cert without key after a pair",
                text: "listen 8443 tls cert=\(a) key=\(a) cert=\(b);\n",
                expected: [
                    #"gateway.conf:1:\#(28 + 2 * a.count): listen "8443": "cert=\#(b)" has no key=FILE after it"#
                ]),
            ConfigCase(
                name: "key first", text: "listen 8443 tls key=\(a) cert=\(a);\n",
                expected: [
                    #"gateway.conf:1:17: listen "8443": "key=\#(a)" must follow its cert=FILE"#
                ]),
            ConfigCase(
                name: "empty file", text: "listen 8443 tls cert= key=\(a);\n",
                expected: [#"gateway.conf:1:17: listen "8443": "cert=" needs a file"#]),
        ])
    }

    func testRejectsUnreadableCertificateNamingTheFile() {
        let missing = directory.path + "/missing.pem"
        XCTAssertEqual(
            TestConfig.messages("listen 8443 tls cert=\(missing) key=\(a);\n"),
            [#"gateway.conf:1:17: listen "8443": certificate "\#(missing)" cannot be read: No such file or directory"#])
        XCTAssertEqual(
            TestConfig.messages("listen 8443 tls cert=\(a) key=\(directory.path);\n"),
            [
                #"gateway.conf:1:\#(23 + a.count): listen "8443": key "\#(directory.path)" cannot be read: is a directory"#
            ])
    }

    func testSSLProtocolsNarrowTheRangeButNeverGoBelowTLS12() throws {
        let only13 = try TestConfig.load("ssl_protocols TLSv1.3;\nlisten 8443 tls cert=\(a) key=\(b);\n")
        XCTAssertEqual(only13.listeners[0].tls?.minimumVersion, .tls13)
        XCTAssertEqual(only13.listeners[0].tls?.maximumVersion, .tls13)
        TestConfig.check([
            ConfigCase(
                name: "old versions", text: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n",
                expected: [
                    #"gateway.conf:1:15: "ssl_protocols": "TLSv1" is below TLS 1.2, which the gateway never offers"#,
                    #"gateway.conf:1:21: "ssl_protocols": "TLSv1.1" is below TLS 1.2, which the gateway never offers"#,
                ]),
            ConfigCase(
                name: "unknown", text: "ssl_protocols SSLv3 TLSv1.4;\n",
                expected: [
                    #"gateway.conf:1:15: "ssl_protocols": "SSLv3" is below TLS 1.2, which the gateway never offers"#,
                    #"gateway.conf:1:21: "ssl_protocols" takes TLSv1.2 and/or TLSv1.3, got "TLSv1.4""#,
                ]),
        ])
    }

    func testSSLCiphersAcceptsOnlyForwardSecretAEADSuites() throws {
        let text = "ssl_ciphers ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:TLS_AES_256_GCM_SHA384;\n"
        let config = try TestConfig.load(text + "listen 8443 tls cert=\(a) key=\(b);\n")
        let tls = try XCTUnwrap(config.listeners[0].tls)
        XCTAssertEqual(tls.ciphers, ["ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-RSA-AES256-GCM-SHA384"])
        XCTAssertEqual(tls.cipherSuites, ["TLS_AES_256_GCM_SHA384"])

        let allowed = (ConfigDefaults.tls12Ciphers + ConfigDefaults.tls13CipherSuites).joined(separator: ", ")
        TestConfig.check([
            ConfigCase(
                name: "CBC without forward secrecy", text: "ssl_ciphers AES128-SHA;\n",
                expected: [
                    #"gateway.conf:1:13: "ssl_ciphers": "AES128-SHA" is not a forward-secret AEAD suite; name suites from: \#(allowed)"#
                ]),
            ConfigCase(
                name: "OpenSSL keywords", text: "ssl_ciphers HIGH:!aNULL;\n",
                expected: [
                    #"gateway.conf:1:13: "ssl_ciphers": "HIGH" is not a forward-secret AEAD suite; name suites from: \#(allowed)"#,
                    #"gateway.conf:1:13: "ssl_ciphers": "!aNULL" is not a forward-secret AEAD suite; name suites from: \#(allowed)"#,
                ]),
            ConfigCase(
                name: "no TLS 1.2 suite while 1.2 is on", text: "ssl_ciphers TLS_AES_128_GCM_SHA256;\n",
                expected: [
                    #"gateway.conf:1:13: "ssl_ciphers" names no TLS 1.2 suite, but TLSv1.2 is enabled (see "ssl_protocols")"#
                ]),
            ConfigCase(
                name: "TLS 1.3 only", text: "ssl_protocols TLSv1.3;\nssl_ciphers TLS_AES_128_GCM_SHA256;\n",
                expected: []),
        ])
    }

    func testTLSOverridesWithoutATLSListenerWarn() throws {
        XCTAssertEqual(
            try warnings("ssl_protocols TLSv1.3;\nssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;\n"),
            [
                #"gateway.conf:1:1: "ssl_protocols" has no effect: no listen has "tls""#,
                #"gateway.conf:2:1: "ssl_ciphers" has no effect: no listen has "tls""#,
            ])
    }

    func testHSTSDefaultsToOneYearWhenPublicURLIsHTTPS() throws {
        XCTAssertEqual(try TestConfig.load("public_url https://a.example;\n").hsts, HSTSConfig(maxAge: 31_536_000))
        XCTAssertEqual(try TestConfig.load("public_url https://a.example;\n").hsts?.headerValue, "max-age=31536000")
        XCTAssertNil(try TestConfig.load("public_url http://a.example;\n").hsts)
        XCTAssertNil(try TestConfig.load("").hsts)
        XCTAssertNil(try TestConfig.load("public_url https://a.example;\nhsts off;\n").hsts)
        let custom = try TestConfig.load("public_url https://a.example;\nhsts max_age=600 include_subdomains;\n")
        XCTAssertEqual(custom.hsts, HSTSConfig(maxAge: 600, includeSubdomains: true))
        XCTAssertEqual(custom.hsts?.headerValue, "max-age=600; includeSubDomains")
    }

    func testHSTSRejectsMalformedValuesAndWarnsOverHTTP() throws {
        let expected = #""hsts" takes max_age=SECONDS [include_subdomains], or off"#
        TestConfig.check([
            ConfigCase(
                name: "duration", text: "hsts max_age=1y;\n",
                expected: [#"gateway.conf:1:6: \#(expected); got "max_age=1y""#]),
            ConfigCase(
                name: "flag", text: "hsts max_age=60 preload;\n",
                expected: [#"gateway.conf:1:17: \#(expected); got "preload""#]),
            ConfigCase(
                name: "off with more", text: "hsts off include_subdomains;\n",
                expected: [#"gateway.conf:1:10: \#(expected)"#]),
        ])
        XCTAssertEqual(
            try warnings("public_url http://a.example;\nhsts max_age=60;\n"),
            [#"gateway.conf:2:1: "hsts" has no effect: public_url is not https, and browsers ignore it over http"#])
    }

    func testUpstreamHTTPSServersWithCAFile() throws {
        let text = "upstream app {\n  server https://app.internal:8443;\n  server https://[::1];\n  ca_file \(a);\n}\n"
        let app = try XCTUnwrap(try TestConfig.load(text).upstreams.first)
        XCTAssertEqual(
            app.servers,
            [
                UpstreamServer(host: "app.internal", port: 8443, isTLS: true),
                UpstreamServer(host: "::1", port: 443, isTLS: true),
            ])
        XCTAssertEqual(app.servers[0].description, "app.internal:8443")
        XCTAssertEqual(app.tls, UpstreamTLSConfig(caFile: a, verify: true))
        let plain = try TestConfig.load("upstream app { server http://a:1; server b:2; }\n").upstreams[0]
        XCTAssertEqual(plain.servers.map(\.isTLS), [false, false])
        XCTAssertEqual(plain.tls, UpstreamTLSConfig())
    }

    func testUpstreamTLSOptionsNeedAnHTTPSServer() {
        let missing = directory.path + "/none.pem"
        TestConfig.check([
            ConfigCase(
                name: "plain servers", text: "upstream app {\n  server a:1;\n  ca_file \(a);\n  tls_verify off;\n}\n",
                expected: [
                    #"gateway.conf:3:3: upstream "app": "ca_file" needs a "server https://...""#,
                    #"gateway.conf:4:3: upstream "app": "tls_verify" needs a "server https://...""#,
                ]),
            ConfigCase(
                name: "unreadable ca_file", text: "upstream app {\n  server https://a;\n  ca_file \(missing);\n}\n",
                expected: [
                    #"gateway.conf:3:11: upstream "app": "ca_file" "\#(missing)" cannot be read: No such file or directory"#
                ]),
            ConfigCase(
                name: "path", text: "upstream app { server https://a:1/x; }\n",
                expected: [
                    #"gateway.conf:1:23: upstream "app": server "https://a:1/x" must not have a path, query or fragment"#
                ]),
        ])
    }

    func testTLSVerifyOffLoadsWithAWarning() throws {
        let config = try TestConfig.load("upstream app {\n  server https://a:1;\n  tls_verify off;\n}\n")
        XCTAssertEqual(config.upstreams[0].tls.verify, false)
        XCTAssertEqual(
            config.warnings.map(\.description),
            [
                #"gateway.conf:3:3: upstream "app": "tls_verify off" accepts any certificate: anyone on the path to the upstream can read and change its traffic"#
            ])
    }
}
