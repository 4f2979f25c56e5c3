// Client-mode TLSStream (HTTPS upstreams): a private CA through ca_file, the host name check,
// self-signed certificates refused unless verification is off.

import Foundation
import GatewayConfig
import GatewayTLS
import XCTest

final class TLSClientStreamTests: TLSTestCase {
    /// Connects, handshakes and fetches one response; the failure text when the handshake fails.
    private func fetch(port: Int, context: TLSClientContext, serverName: String) throws -> (
        response: String?, failure: String?, stream: TLSStream
    ) {
        let fd = try TestSocket.connect(port: port)
        defer { close(fd) }
        let stream = try TLSStream(connecting: fd, context: context, serverName: serverName)
        XCTAssertFalse(stream.isServer)
        let driver = StreamDriver(stream: stream, fd: fd)
        if case .failed(let reason) = driver.drive({ stream.handshake() }) { return (nil, reason, stream) }
        try driver.writeAll(Array("GET / HTTP/1.1\r\nHost: \(serverName)\r\n\r\n".utf8))
        let response = String(decoding: try driver.readToEnd(), as: UTF8.self)
        _ = driver.drive { stream.shutdown() }
        return (response, nil, stream)
    }

    func testVerifiesAPrivateCAFromCAFile() throws {
        let server = try startServer(try twoCertificateContext())
        let context = try TLSClientContext(UpstreamTLSConfig(caFile: certs.ca, verify: true))
        let result = try fetch(port: server.port, context: context, serverName: "beta.test")
        XCTAssertNil(result.failure)
        XCTAssertEqual(result.response?.hasSuffix("\r\n\r\nhello over tls\n"), true, result.response ?? "")
        XCTAssertEqual(result.stream.alpnProtocol, "http/1.1")
        XCTAssertEqual(result.stream.serverName, "beta.test")
        XCTAssertEqual(server.lastRecord(after: 0)?.serverName, "beta.test")
        XCTAssertNotNil(result.stream.protocolVersion)
    }

    func testRefusesTheCAWhenOnlyTheSystemStoreIsTrusted() throws {
        let server = try startServer(try twoCertificateContext())
        let result = try fetch(port: server.port, context: try TLSClientContext(), serverName: "alpha.test")
        XCTAssertNil(result.response)
        XCTAssertEqual(result.failure?.contains("unable to get local issuer certificate"), true, result.failure ?? "")
    }

    func testRefusesACertificateForAnotherHost() throws {
        let server = try startServer(try twoCertificateContext())
        let context = try TLSClientContext(caFile: certs.ca)
        // No certificate names gamma.test, so the server sends its default, alpha's.
        let result = try fetch(port: server.port, context: context, serverName: "gamma.test")
        XCTAssertNil(result.response)
        XCTAssertEqual(result.failure?.contains("hostname mismatch"), true, result.failure ?? "")
        // An IP address is checked against the certificate's IP names (it has none).
        let byAddress = try fetch(port: server.port, context: context, serverName: "127.0.0.1")
        XCTAssertEqual(byAddress.failure?.contains("IP address mismatch"), true, byAddress.failure ?? "")
    }

    func testRefusesSelfSignedUnlessVerificationIsOff() throws {
        let selfSigned = try TLSServerContext(listenerConfig([(certs.selfSignedCert, certs.selfSignedKey)]))
        let server = try startServer(selfSigned)
        let verifying = try TLSClientContext(caFile: certs.ca)
        let refused = try fetch(port: server.port, context: verifying, serverName: "self.test")
        XCTAssertEqual(refused.failure?.contains("self-signed certificate"), true, refused.failure ?? "")

        let unverified = try TLSClientContext(UpstreamTLSConfig(verify: false))
        XCTAssertFalse(unverified.verifiesPeer)
        let accepted = try fetch(port: server.port, context: unverified, serverName: "self.test")
        XCTAssertNil(accepted.failure)
        XCTAssertEqual(accepted.response?.hasSuffix("hello over tls\n"), true)
    }

    func testASmallReadLeavesTheRestOfTheRecordBuffered() throws {
        let server = try startServer(try twoCertificateContext())
        let fd = try TestSocket.connect(port: server.port)
        defer { close(fd) }
        let stream = try TLSStream(
            connecting: fd, context: try TLSClientContext(caFile: certs.ca), serverName: "alpha.test")
        let driver = StreamDriver(stream: stream, fd: fd)
        XCTAssertEqual(driver.drive { stream.handshake() }, .bytes(0))
        XCTAssertTrue(stream.isHandshakeComplete)
        try driver.writeAll(Array("GET / HTTP/1.1\r\nHost: alpha.test\r\n\r\n".utf8))
        var small = [UInt8](repeating: 0, count: 10)
        let n = try small.withUnsafeMutableBytes { try driver.read(into: $0) }
        XCTAssertEqual(String(decoding: small[..<n], as: UTF8.self), "HTTP/1.1 2")
        XCTAssertTrue(stream.hasBufferedInput, "the record's other bytes wait inside OpenSSL, not in the socket")
        let rest = String(decoding: try driver.readToEnd(), as: UTF8.self)
        XCTAssertTrue(rest.hasSuffix("hello over tls\n"), rest)
    }

    func testUnreadableCAFileIsNamed() {
        XCTAssertThrowsError(try TLSClientContext(caFile: "/nonexistent/ca.pem")) { error in
            XCTAssertEqual(
                "\(error)", #"ca_file "/nonexistent/ca.pem" cannot be read: No such file or directory"#)
        }
        XCTAssertThrowsError(try TLSClientContext(caFile: certs.alphaKey)) { error in
            XCTAssertEqual((error as? TLSError)?.kind, .invalidCertificate)
            XCTAssertTrue("\(error)".hasPrefix("ca_file \"\(certs.alphaKey)\" holds no usable PEM certificate"))
        }
    }
}
