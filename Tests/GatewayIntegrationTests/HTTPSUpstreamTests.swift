// `server https://`: the upstream's certificate verified against ca_file and its name, kept-alive
// connections reused, a bad certificate refused with 502, and `tls_verify off`.
import Foundation
import GatewayTestSupport
import XCTest

final class HTTPSUpstreamTests: IntegrationTestCase {
    private var tls: TLSFixture!

    override func setUpWithError() throws {
        try super.setUpWithError()
        tls = try TLSFixture(directory: directory)
    }

    /// The test upstream over HTTPS with the `name` leaf (a: localhost and 127.0.0.1; b: b.test).
    private func startHTTPSUpstream(_ name: String) throws -> Upstream {
        let upstream = try Upstream(directory: directory, tls: (tls.path("\(name).pem"), tls.path("\(name).key")))
        track(upstream.child)
        return upstream
    }

    private func gateway(server: String, upstreamExtra: String) throws -> GatewayProcess {
        let config = GatewayProcess.publicConfig(upstreamPort: 1, upstreamExtra: upstreamExtra)
            .replacingOccurrences(of: "server 127.0.0.1:1;", with: "server \(server);")
        return try startGateway(config)
    }

    func testAVerifiedHTTPSUpstreamIsProxiedOverPooledConnections() throws {
        let upstream = try startHTTPSUpstream("a")
        let gateway = try gateway(server: "https://localhost:\(upstream.port)", upstreamExtra: "ca_file \(tls.caFile);")
        let client = try gateway.client()
        var connections = Set<String>()
        for i in 0..<20 {
            let response = try client.request("GET", "/item/\(i)")
            XCTAssertEqual(response.status, 200, response.text)
            XCTAssertEqual(try response.json()["path"] as? String, "/item/\(i)")
            connections.insert(response.header("X-Upstream-Connection") ?? "?")
        }
        XCTAssertEqual(connections.count, 1, "keep-alive pooling as for plain upstreams")
        let upload = try client.request("POST", "/upload", body: [UInt8](repeating: 7, count: 3_000_000))
        XCTAssertEqual(try upload.json()["body_bytes"] as? Int, 3_000_000)
        let download = try client.request("GET", "/download?size=5000000")
        XCTAssertEqual(download.body.count, 5_000_000)
    }

    func testACertificateThatDoesNotVerifyOrNameTheServerGets502() throws {
        let wrongName = try startHTTPSUpstream("b")  // signed by the CA, but for b.test
        let named = try gateway(server: "https://localhost:\(wrongName.port)", upstreamExtra: "ca_file \(tls.caFile);")
        XCTAssertEqual(try named.client().request("GET", "/x").status, 502)
        let logged: Bool = try named.child.waitFor("the TLS failure", in: { named.child.stderr }) {
            $0.contains("TLS:") ? true : nil
        }
        XCTAssertTrue(logged)

        let right = try startHTTPSUpstream("a")
        let untrusted = try gateway(server: "https://localhost:\(right.port)", upstreamExtra: "")  // no ca_file
        XCTAssertEqual(try untrusted.client().request("GET", "/x").status, 502, "a private CA is not in the system store")

        let unverified = try gateway(server: "https://localhost:\(wrongName.port)", upstreamExtra: "tls_verify off;")
        XCTAssertEqual(try unverified.client().request("GET", "/x").status, 200, "tls_verify off accepts any certificate")
    }
}
