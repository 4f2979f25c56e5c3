// The server side against openssl s_client and curl: versions, suites, SNI, resumption, ALPN.

import Foundation
import GatewayConfig
import GatewayTLS
import XCTest

final class TLSServerHandshakeTests: TLSTestCase {
    func testHandshakesWithTLS13AndTLS12() throws {
        let server = try startServer(try twoCertificateContext())
        let v13 = try sClient(server, ["-tls1_3", "-servername", "alpha.test"])
        XCTAssertEqual(v13.status, 0, v13.output)
        XCTAssertTrue(v13.output.contains("New, TLSv1.3, Cipher is TLS_"), v13.output)
        XCTAssertTrue(v13.output.contains("Verify return code: 0 (ok)"), v13.output)
        XCTAssertTrue(v13.output.contains("hello over tls"), v13.output)
        XCTAssertEqual(server.lastRecord(after: 0)?.version, .tls13)

        let v12 = try sClient(server, ["-tls1_2", "-servername", "alpha.test"])
        XCTAssertEqual(v12.status, 0, v12.output)
        XCTAssertTrue(v12.output.contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-"), v12.output)
        let record = try XCTUnwrap(server.lastRecord(after: 1))
        XCTAssertEqual(record.version, .tls12)
        XCTAssertEqual(record.cipher?.hasPrefix("ECDHE-ECDSA-"), true)
    }

    func testCurlGetsTheAnswerOverTLS13AndTLS12() throws {
        let server = try startServer(try twoCertificateContext())
        let v13 = try curl(server, ["--tlsv1.3"])
        XCTAssertEqual(v13.status, 0, v13.output)
        XCTAssertEqual(v13.output, "hello over tls\n")
        XCTAssertEqual(server.lastRecord(after: 0)?.version, .tls13)
        let v12 = try curl(server, ["--tls-max", "1.2"])
        XCTAssertEqual(v12.output, "hello over tls\n")
        XCTAssertEqual(server.lastRecord(after: 1)?.version, .tls12)
    }

    func testRefusesTLS11AndTLS10() throws {
        let server = try startServer(try twoCertificateContext())
        // SECLEVEL=0 lets this client offer the old versions, so the refusal is the server's.
        for (index, flag) in ["-tls1_1", "-tls1"].enumerated() {
            let result = try sClient(server, [flag, "-cipher", "DEFAULT@SECLEVEL=0", "-servername", "alpha.test"])
            XCTAssertNotEqual(result.status, 0, result.output)
            XCTAssertFalse(result.output.contains("hello over tls"), result.output)
            let record = try XCTUnwrap(server.lastRecord(after: index), flag)
            XCTAssertEqual(record.failure?.contains("unsupported protocol"), true, "\(flag): \(record)")
        }
    }

    func testRefusesWeakSuiteOverTLS12() throws {
        let server = try startServer(try twoCertificateContext())
        // beta's RSA key could do AES128-SHA (RSA key exchange, CBC): the server must not.
        let result = try sClient(
            server, ["-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0", "-servername", "beta.test"])
        XCTAssertNotEqual(result.status, 0, result.output)
        let record = try XCTUnwrap(server.lastRecord(after: 0))
        XCTAssertEqual(record.failure?.contains("no shared cipher"), true, "\(record)")
        // The same certificate with an intermediate suite works.
        let good = try sClient(
            server, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-servername", "beta.test"])
        XCTAssertEqual(good.status, 0, good.output)
        XCTAssertTrue(good.output.contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256"), good.output)
    }

    func testServerPrefersItsOwnOrderForTLS12() throws {
        let server = try startServer(try twoCertificateContext())
        // The client lists CHACHA20 first; the server's list puts AES128-GCM first.
        let result = try sClient(
            server,
            [
                "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256", "-servername",
                "beta.test",
            ])
        XCTAssertTrue(result.output.contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256"), result.output)
    }

    func testSNIChoosesTheCertificateThatNamesTheHost() throws {
        let context = try twoCertificateContext()
        XCTAssertEqual(context.certificateNames, [["alpha.test", "*.alpha.test"], ["beta.test"]])
        let server = try startServer(context)
        let cases = [
            ("beta.test", "CN = beta.test"), ("alpha.test", "CN = alpha.test"), ("www.alpha.test", "CN = alpha.test"),
            ("unknown.test", "CN = alpha.test"),
        ]
        for (index, (name, subject)) in cases.enumerated() {
            let result = try sClient(server, ["-servername", name])
            XCTAssertTrue(result.output.contains("subject=\(subject)"), "\(name): \(result.output)")
            XCTAssertEqual(server.lastRecord(after: index)?.serverName, name)
        }
        let beta = try curl(server, name: "beta.test")
        XCTAssertEqual(beta.output, "hello over tls\n", "curl verifies beta.test's own certificate")
    }

    func testSessionsResumeOverTLS13AndTLS12() throws {
        let server = try startServer(try twoCertificateContext())
        var count = 0
        for version in ["-tls1_3", "-tls1_2"] {
            let session = certs.directory + "/session\(version).pem"
            let first = try sClient(server, [version, "-servername", "alpha.test", "-sess_out", session])
            XCTAssertTrue(first.output.contains("New, TLSv1."), first.output)
            count += 1
            let second = try sClient(server, [version, "-servername", "alpha.test", "-sess_in", session])
            XCTAssertTrue(second.output.contains("Reused, TLSv1."), "\(version): \(second.output)")
            XCTAssertEqual(server.lastRecord(after: count)?.resumed, true)
            count += 1
        }
    }

    func testTicketKeysRotateKeepingThePreviousKey() throws {
        let keys = try TLSTicketKeys()
        let server = try startServer(try twoCertificateContext(ticketKeys: keys))
        let session = certs.directory + "/rotation.pem"
        // Without the session cache to fall back on, only the ticket can resume a TLS 1.3 session.
        _ = try sClient(server, ["-tls1_3", "-servername", "alpha.test", "-sess_out", session])
        keys.rotate()
        let afterOne = try sClient(server, ["-tls1_3", "-servername", "alpha.test", "-sess_in", session])
        XCTAssertTrue(
            afterOne.output.contains("Reused, TLSv1.3"), "the previous key still opens it: \(afterOne.output)")
        keys.rotate()
        keys.rotate()
        let afterThree = try sClient(server, ["-tls1_3", "-servername", "alpha.test", "-sess_in", session])
        XCTAssertTrue(afterThree.output.contains("New, TLSv1.3"), "its key is gone: \(afterThree.output)")
        XCTAssertEqual(keys.generation, 3)
    }

    func testTLS12ClientsWithoutTicketsResumeFromTheSessionCache() throws {
        let server = try startServer(try twoCertificateContext())
        let session = certs.directory + "/cache.pem"
        let args = ["-tls1_2", "-no_ticket", "-servername", "alpha.test"]
        let first = try sClient(server, args + ["-sess_out", session])
        XCTAssertTrue(first.output.contains("New, TLSv1.2"), first.output)
        XCTAssertFalse(first.output.contains("TLS session ticket:"), "no ticket was issued: \(first.output)")
        let second = try sClient(server, args + ["-sess_in", session])
        XCTAssertTrue(second.output.contains("Reused, TLSv1.2"), second.output)
    }

    func testTicketKeysRotateByThemselvesOnceTheIntervalHasPassed() throws {
        let keys = try TLSTicketKeys(rotationInterval: .seconds(1))
        let server = try startServer(try twoCertificateContext(ticketKeys: keys))
        _ = try sClient(server, ["-tls1_3", "-servername", "alpha.test"])
        let before = keys.generation
        usleep(1_100_000)
        // Issuing the next ticket finds the key too old and replaces it first.
        _ = try sClient(server, ["-tls1_3", "-servername", "alpha.test"])
        XCTAssertEqual(keys.generation, before + 1)
    }

    func testALPNSelectsHTTP11AndRefusesOnlyH2() throws {
        let server = try startServer(try twoCertificateContext())
        let offered = try sClient(server, ["-servername", "alpha.test", "-alpn", "h2,http/1.1"])
        XCTAssertTrue(offered.output.contains("ALPN protocol: http/1.1"), offered.output)
        XCTAssertEqual(server.lastRecord(after: 0)?.alpn, "http/1.1")
        let none = try sClient(server, ["-servername", "alpha.test"])
        XCTAssertTrue(none.output.contains("No ALPN negotiated"), none.output)
        let h2 = try sClient(server, ["-servername", "alpha.test", "-alpn", "h2"])
        XCTAssertNotEqual(h2.status, 0, h2.output)
        XCTAssertTrue(h2.output.contains("no application protocol"), h2.output)
        let curled = try curl(server, ["-w", "\n%{http_version}"])
        XCTAssertEqual(curled.output, "hello over tls\n\n1.1", "curl offers h2 and http/1.1 and gets 1.1")
    }

    func testOnlyTLS13WhenTheConfigSaysSo() throws {
        let config = listenerConfig([(certs.alphaCert, certs.alphaKey)], minimum: .tls13)
        let server = try startServer(try TLSServerContext(config))
        let v12 = try sClient(server, ["-tls1_2", "-servername", "alpha.test"])
        XCTAssertNotEqual(v12.status, 0, v12.output)
        let v13 = try sClient(server, ["-servername", "alpha.test"])
        XCTAssertTrue(v13.output.contains("New, TLSv1.3"), v13.output)
    }

    func testPlaintextRequestOnTheTLSPortGetsA400() throws {
        let server = try startServer(try twoCertificateContext())
        let result = try Command.run(
            ["curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}", "http://127.0.0.1:\(server.port)/"])
        XCTAssertTrue(result.output.hasSuffix("\n400"), result.output)
        XCTAssertTrue(result.output.contains("This port speaks HTTPS"), result.output)
        XCTAssertEqual(server.lastRecord(after: 0)?.verdict, .plaintextHTTP)
    }
}
