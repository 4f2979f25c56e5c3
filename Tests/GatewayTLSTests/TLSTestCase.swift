// What the GatewayTLS tests share: the generated certificates, contexts, s_client and curl.

import Foundation
import GatewayConfig
import GatewayTLS
import XCTest

class TLSTestCase: XCTestCase {
    var certs: TestCertificates!

    override func setUpWithError() throws {
        // A reset peer must fail a write, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        certs = try TestCertificates.get()
    }

    func listenerConfig(
        _ pairs: [(cert: String, key: String)], minimum: TLSProtocolVersion = .tls12,
        maximum: TLSProtocolVersion = .tls13
    ) -> ListenerTLSConfig {
        ListenerTLSConfig(
            certificates: pairs.map { TLSFiles(certificatePath: $0.cert, keyPath: $0.key) },
            minimumVersion: minimum, maximumVersion: maximum,
            location: SourceLocation(file: "test.conf", line: 1, column: 1))
    }

    /// alpha (EC, the default) then beta (RSA).
    func twoCertificateContext(ticketKeys: TLSTicketKeys? = nil) throws -> TLSServerContext {
        try TLSServerContext(
            listenerConfig([(certs.alphaCert, certs.alphaKey), (certs.betaCert, certs.betaKey)]),
            ticketKeys: ticketKeys)
    }

    /// A server on its own thread for the test's duration.
    func startServer(_ context: TLSServerContext, mode: TLSTestServer.Mode = .respond(body: "hello over tls\n"))
        throws -> TLSTestServer
    {
        let server = try TLSTestServer(context: context, mode: mode)
        addTeardownBlock { server.stop() }
        return server
    }

    /// `openssl s_client` sending one request and reading until the server closes.
    func sClient(_ server: TLSTestServer, _ arguments: [String]) throws -> Command.Result {
        try Command.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", certs.ca, "-ign_eof"]
                + arguments,
            input: "GET / HTTP/1.1\r\nHost: alpha.test\r\n\r\n")
    }

    /// `curl` against `https://NAME:PORT` resolved to 127.0.0.1, trusting the private CA.
    func curl(_ server: TLSTestServer, name: String = "alpha.test", _ arguments: [String] = [], path: String = "/")
        throws -> Command.Result
    {
        try Command.run(
            [
                "curl", "-sS", "--max-time", "60", "--cacert", certs.ca, "--resolve",
                "\(name):\(server.port):127.0.0.1",
            ] + arguments + ["https://\(name):\(server.port)\(path)"], timeout: 90)
    }
}
