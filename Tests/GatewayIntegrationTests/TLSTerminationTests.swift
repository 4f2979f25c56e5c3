// TLS on `listen ... tls`, checked from outside with curl and openssl s_client: versions and
// suites, SNI, resumption, plain HTTP on the TLS port, forwarded headers and HSTS, large bodies.
import Foundation
import Glibc
import GatewayTestSupport
import XCTest

final class TLSTerminationTests: IntegrationTestCase {
    private var tls: TLSFixture!

    override func setUpWithError() throws {
        try super.setUpWithError()
        tls = try TLSFixture(directory: directory)
    }

    /// A gateway whose one listener speaks TLS with the a and b certificates (a is the default).
    private func startTLSGateway(extra: String = "") throws -> (Upstream, GatewayProcess) {
        let upstream = try startUpstream()
        let config = GatewayProcess.publicConfig(upstreamPort: upstream.port, extra: extra)
            .replacingOccurrences(
                of: "listen 127.0.0.1:0;", with: "listen 127.0.0.1:0 tls \(tls.pair("a")) \(tls.pair("b"));")
        return (upstream, try startGateway(config))
    }

    private func curl(_ gateway: GatewayProcess, _ path: String, _ extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        try TLSFixture.run(
            "/usr/bin/curl",
            ["-sS", "--cacert", tls.caFile, "--resolve", "a.test:\(gateway.port):127.0.0.1"] + extra
                + ["https://a.test:\(gateway.port)\(path)"], in: directory)
    }

    private func sClient(_ gateway: GatewayProcess, _ extra: [String]) throws -> String {
        let result = try TLSFixture.run(
            "/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-CAfile", tls.caFile] + extra,
            in: directory, input: "", timeout: 20)
        return result.stdout + result.stderr
    }

    func testTLS12And13HandshakeAndOlderVersionsAndWeakSuitesAreRefused() throws {
        let (_, gateway) = try startTLSGateway()
        for (flags, version) in [(["--tlsv1.2", "--tls-max", "1.2"], "TLSv1.2"), (["--tlsv1.3"], "TLSv1.3")] {
            let result = try curl(gateway, "/echo", flags + ["-o", "/dev/null", "-w", "%{http_code}", "-v"])
            XCTAssertEqual(result.stdout, "200", result.stderr)
            XCTAssertTrue(result.stderr.contains("SSL connection using \(version)"), result.stderr)
        }
        for flags in [["-tls1_1"], ["-tls1"], ["-tls1_2", "-cipher", "AES128-SHA"], ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"]] {
            let out = try sClient(gateway, flags)
            XCTAssertTrue(out.contains("Cipher is (NONE)") || out.contains("alert"), "\(flags) was accepted:\n\(out)")
        }
        let alpn = try sClient(gateway, ["-alpn", "h2,http/1.1", "-servername", "a.test"])
        XCTAssertTrue(alpn.contains("ALPN protocol: http/1.1"), alpn)
    }

    func testSNIChoosesTheCertificateAndTheFirstIsTheDefault() throws {
        let (_, gateway) = try startTLSGateway()
        XCTAssertTrue(try sClient(gateway, ["-servername", "b.test"]).contains("CN = b.test"))
        XCTAssertTrue(try sClient(gateway, ["-servername", "a.test"]).contains("CN = a.test"))
        XCTAssertTrue(try sClient(gateway, ["-noservername"]).contains("CN = a.test"), "no SNI: the first pair")
        XCTAssertTrue(try sClient(gateway, ["-servername", "other.test"]).contains("CN = a.test"))
    }

    func testSessionsAreResumed() throws {
        let (_, gateway) = try startTLSGateway()
        let session = tls.path("session.pem")
        for version in ["-tls1_2", "-tls1_3"] {
            // TLS 1.3 tickets arrive after the handshake: ask for a response so s_client reads them.
            let first = try TLSFixture.run(
                "/usr/bin/openssl",
                ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-CAfile", tls.caFile, version, "-servername",
                 "a.test", "-sess_out", session, "-ign_eof"],
                in: directory, input: "GET /healthz HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n", timeout: 20)
            XCTAssertTrue(first.stdout.contains("\"status\":\"ok\""), first.stdout + first.stderr)
            let again = try sClient(gateway, [version, "-servername", "a.test", "-sess_in", session])
            XCTAssertTrue(again.contains("Reused,"), "\(version) was not resumed:\n\(again)")
        }
    }

    func testPlainHTTPOnTheTLSPortGetsAClear400() throws {
        let (_, gateway) = try startTLSGateway()
        let response = try gateway.client().request("GET", "/echo")
        XCTAssertEqual(response.status, 400)
        XCTAssertTrue(response.text.contains("https://"), response.text)
        XCTAssertEqual(response.header("Connection"), "close")
    }

    func testTheUpstreamHearsHTTPSAndResponsesCarryHSTS() throws {
        let (_, gateway) = try startTLSGateway(extra: "public_url https://a.test;")
        let result = try curl(gateway, "/echo", ["-D", "-", "-H", "X-Forwarded-Proto: http"])
        XCTAssertTrue(result.stdout.contains("Strict-Transport-Security: max-age=31536000\r\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[\"X-Forwarded-Proto\", \"https\"]"), result.stdout)
        let local = try curl(gateway, "/healthz", ["-D", "-"])
        XCTAssertTrue(local.stdout.contains("Strict-Transport-Security: max-age=31536000\r\n"), "local answers too:\n\(local.stdout)")
    }

    func testA64MiBUploadAndDownloadStreamWithBoundedMemory() throws {
        let (_, gateway) = try startTLSGateway()
        let size = 64 * 1024 * 1024
        let download = try curl(gateway, "/download?size=\(size)", ["-o", "/dev/null", "-w", "%{http_code} %{size_download}"])
        XCTAssertEqual(download.stdout, "200 \(size)", download.stderr)
        let file = tls.path("upload.bin")
        FileManager.default.createFile(atPath: file, contents: Data(repeating: 0x61, count: size))
        let upload = try curl(gateway, "/upload", ["--data-binary", "@\(file)", "-H", "Content-Type: application/octet-stream"])
        let json = try JSONSerialization.jsonObject(with: Data(upload.stdout.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(json["body_bytes"] as? Int, size, upload.stdout + upload.stderr)
        let peak = gateway.child.memory().peak
        XCTAssertLessThan(peak, 96 * 1024, "peak RSS \(peak) KiB: bodies must stream, not be buffered")
    }

    func testABadKeyStopsStartUpAndCheckNamesTheFile() throws {
        let config = directory.appendingPathComponent("mismatch.conf")
        try """
        listen 127.0.0.1:0 tls cert=\(tls.path("a.pem")) key=\(tls.path("b.key"));
        upstream app { server 127.0.0.1:1; }
        location / { auth off; proxy_pass app; }
        """.write(to: config, atomically: false, encoding: .utf8)
        let check = try TLSFixture.run(TestPaths.gatewayBinary, ["--check", "-c", config.path], in: directory)
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stderr.contains("\(config.path):1:") && check.stderr.contains("b.key"), check.stderr)
    }

    func testSignInOverHTTPSSetsASecureHostPrefixedSessionCookie() throws {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let (gateway, _) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id c; client_secret s; }",
            store: "memory", publicScheme: "https", listenTLS: tls.pair("a"))
        let base = "https://127.0.0.1:\(gateway.port)"
        let jar = tls.path("jar.txt")
        func hop(_ url: String, _ extra: [String] = []) throws -> String {
            try TLSFixture.run(
                "/usr/bin/curl", ["-sS", "-o", "/dev/null", "-D", "-", "--cacert", tls.caFile, "-b", jar, "-c", jar] + extra + [url],
                in: directory
            ).stdout
        }
        func location(_ head: String) throws -> String {
            let line = try XCTUnwrap(head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") }, head)
            return line.dropFirst("location:".count).trimmingCharacters(in: .whitespaces)
        }
        let start = try hop(base + "/auth/mock?next=/app/")
        XCTAssertTrue(start.contains("Set-Cookie: __Host-__gateway_state_"), start)
        let back = try hop(try location(start), ["-d", "sub=tls-user"])
        let callback = try location(back)
        XCTAssertTrue(callback.hasPrefix(base + "/auth/mock/callback"), callback)
        let done = try hop(callback)
        let session = done.split(separator: "\r\n").filter { $0.hasPrefix("Set-Cookie: __Host-__gateway=") }
        XCTAssertEqual(session.count, 1, done)
        XCTAssertTrue(session.first?.contains("; Secure") ?? false, done)
        let app = try hop(base + "/app/x", ["-H", "Accept: application/json"])
        XCTAssertTrue(app.hasPrefix("HTTP/1.1 200"), "the session works over TLS:\n\(app)")
    }

    func testAReloadReadsCertificatesAgainAndABadOneKeepsTheOld() throws {
        let upstream = try startUpstream()
        func config(_ pairs: String) -> String {
            GatewayProcess.publicConfig(upstreamPort: upstream.port)
                .replacingOccurrences(of: "listen 127.0.0.1:0;", with: "listen 127.0.0.1:0 tls \(pairs);")
        }
        let gateway = try startGateway(config(tls.pair("a")))
        XCTAssertTrue(try sClient(gateway, ["-noservername"]).contains("CN = a.test"))
        func reload(_ text: String, expect outcome: String, count: Int) throws {
            try text.write(to: gateway.configURL, atomically: false, encoding: .utf8)
            gateway.child.signal(SIGHUP)
            _ = try gateway.child.waitFor("reload \(count)", timeout: 15, in: { gateway.child.stderr }) {
                $0.components(separatedBy: "\"msg\":\"\(outcome)").count - 1 >= count ? true : nil
            }
        }
        try reload(config(tls.pair("b") + " " + tls.pair("a")), expect: "configuration reloaded", count: 1)
        XCTAssertTrue(try sClient(gateway, ["-noservername"]).contains("CN = b.test"), "the new default certificate")
        let mismatched = "cert=\(tls.path("a.pem")) key=\(tls.path("b.key"))"
        try reload(config(mismatched), expect: "configuration reload failed", count: 1)
        XCTAssertTrue(gateway.child.stderr.contains("b.key"), "the log names the file")
        XCTAssertTrue(try sClient(gateway, ["-noservername"]).contains("CN = b.test"), "the old certificates keep serving")
        XCTAssertEqual(try curl(gateway, "/healthz", ["-o", "/dev/null", "-w", "%{http_code}"]).stdout, "200")
    }
}
