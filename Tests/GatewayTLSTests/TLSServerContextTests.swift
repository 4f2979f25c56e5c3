// Loading certificates and keys: each bad file is refused with its name, so a reload can keep
// the old context and say why.

import Foundation
import GatewayConfig
import GatewayTLS
import XCTest

final class TLSServerContextTests: TLSTestCase {
    private func loadError(_ pairs: [(cert: String, key: String)]) -> TLSError? {
        do {
            _ = try TLSServerContext(listenerConfig(pairs))
            return nil
        } catch {
            return error
        }
    }

    func testRefusesAMissingFileByName() {
        let missing = certs.directory + "/missing.pem"
        let error = loadError([(missing, certs.alphaKey)])
        XCTAssertEqual(error?.kind, .unreadableFile)
        XCTAssertEqual(error?.path, missing)
        XCTAssertEqual(error?.description, "certificate \"\(missing)\" cannot be read: No such file or directory")
        XCTAssertEqual(
            loadError([(certs.alphaCert, certs.directory)])?.description,
            "key \"\(certs.directory)\" cannot be read: is a directory")
    }

    func testRefusesFilesThatAreNotPEM() throws {
        let garbage = certs.directory + "/garbage.pem"
        try "not a certificate\n".write(toFile: garbage, atomically: false, encoding: .utf8)
        let cert = loadError([(garbage, certs.alphaKey)])
        XCTAssertEqual(cert?.kind, .invalidCertificate)
        XCTAssertEqual(
            cert?.description.hasPrefix("certificate \"\(garbage)\" holds no usable PEM certificate ("), true)
        let key = loadError([(certs.alphaCert, certs.alphaCert)])
        XCTAssertEqual(key?.kind, .invalidKey)
        XCTAssertEqual(key?.path, certs.alphaCert)
    }

    func testRefusesAKeyThatIsNotTheCertificates() {
        let error = loadError([(certs.alphaCert, certs.alphaKey), (certs.betaCert, certs.alphaKey)])
        XCTAssertEqual(error?.kind, .keyMismatch)
        XCTAssertEqual(
            error?.description, "key \"\(certs.alphaKey)\" does not match certificate \"\(certs.betaCert)\"")
    }

    func testRefusesAnExpiredCertificate() {
        let error = loadError([(certs.expiredCert, certs.expiredKey)])
        XCTAssertEqual(error?.kind, .expiredCertificate)
        XCTAssertEqual(error?.description, "certificate \"\(certs.expiredCert)\" expired on Jan  2 00:00:00 2020 GMT")
    }

    func testRefusesAnEncryptedKeyWithoutPrompting() throws {
        let encrypted = certs.directory + "/encrypted.key"
        let result = try Command.run([
            "openssl", "pkey", "-in", certs.alphaKey, "-aes256", "-passout", "pass:secret", "-out", encrypted,
        ])
        XCTAssertEqual(result.status, 0, result.output)
        let error = loadError([(certs.alphaCert, encrypted)])
        XCTAssertEqual(error?.kind, .invalidKey)
        XCTAssertEqual(error?.description.contains("encrypted keys are not supported"), true)
    }

    func testAFailedReloadLeavesTheOldContextServing() throws {
        let old = try twoCertificateContext()
        let server = try startServer(old)
        let session = certs.directory + "/reload.pem"
        _ = try sClient(server, ["-tls1_3", "-servername", "alpha.test", "-sess_out", session])
        XCTAssertThrowsError(try old.reloading(listenerConfig([(certs.alphaCert, certs.betaKey)]))) { error in
            XCTAssertEqual((error as? TLSError)?.kind, .keyMismatch)
        }
        let result = try curl(server)
        XCTAssertEqual(result.output, "hello over tls\n")
        XCTAssertEqual(old.certificateIndex(for: "BETA.test."), 1)
        XCTAssertEqual(old.certificateIndex(for: nil), 0)

        // A good reload shares the ticket keys: a session from the old context resumes on the new.
        let new = try old.reloading(listenerConfig([(certs.alphaCert, certs.alphaKey)]))
        XCTAssertTrue(new.ticketKeys === old.ticketKeys)
        let reloaded = try startServer(new)
        let resumed = try sClient(reloaded, ["-tls1_3", "-servername", "alpha.test", "-sess_in", session])
        XCTAssertTrue(resumed.output.contains("Reused, TLSv1.3"), resumed.output)
    }
}
