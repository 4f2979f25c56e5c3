// What the upstream receives and what the client gets back, on public locations.
import Foundation
import XCTest

final class ForwardingTests: IntegrationTestCase {
    func testManyRequestsOnOneConnectionReuseOneUpstreamConnection() throws {
        let (upstream, gateway) = try startPair()
        let client = try gateway.client()
        var upstreamConnections = Set<String>()
        for i in 0..<200 {
            let response = try client.request("GET", "/item/\(i)")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(try response.json()["path"] as? String, "/item/\(i)")
            upstreamConnections.insert(response.header("X-Upstream-Connection") ?? "?")
            XCTAssertEqual(response.header("X-Upstream-Request-Index"), String(i + 1))
        }
        XCTAssertEqual(upstreamConnections.count, 1, "every request should ride one pooled upstream connection")
        let stats = try RawHTTPClient(port: upstream.port).request("GET", "/stats").json()
        XCTAssertEqual(stats["requests"] as? Int, 201, "200 proxied requests plus this one")
    }

    func testHopByHopFieldsAreDroppedBothWays() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        let echo = try client.request(
            "GET", "/echo",
            headers: [
                ("Connection", "keep-alive, X-Private"), ("X-Private", "secret"), ("Keep-Alive", "timeout=5"),
                ("TE", "trailers"), ("Proxy-Connection", "keep-alive"), ("Trailer", "X-T"), ("X-Kept", "yes"),
            ]
        ).json()
        let names = Set(headers(of: echo).map { $0.0.lowercased() })
        for dropped in ["connection", "x-private", "keep-alive", "te", "proxy-connection", "trailer"] {
            XCTAssertFalse(names.contains(dropped), "\(dropped) reached the upstream")
        }
        XCTAssertEqual(headerValues("X-Kept", in: echo), ["yes"])
        XCTAssertEqual(headerValues("Host", in: echo), ["gateway.test"], "the client's Host is kept")

        let response = try client.request("GET", "/hop")
        XCTAssertEqual(response.status, 200)
        for dropped in ["x-custom-hop", "keep-alive", "proxy-connection", "trailer"] {
            XCTAssertFalse(response.headerNames.contains(dropped), "\(dropped) reached the client")
        }
        XCTAssertNil(response.header("Connection"))
        XCTAssertEqual(response.header("X-End-To-End"), "yes")
    }

    func testForwardedHeadersAreSetAndClientIdentityHeadersStripped() throws {
        let (_, gateway) = try startPair()
        let echo = try gateway.client().request(
            "GET", "/whoami",
            headers: [
                ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.test"),
                ("X-Auth-User-Id", "admin"), ("x-auth-email", "root@example.com"), ("X-Auth-Identities", "github:1"),
                ("X-Auth-User", "root"), ("X-Auth-Name", "Root"), ("X-Auth-Provider", "github"),
            ]
        ).json()
        // The test client is not a trusted proxy: its forwarded headers are replaced, not appended to.
        XCTAssertEqual(headerValues("X-Forwarded-For", in: echo), ["127.0.0.1"])
        XCTAssertEqual(headerValues("X-Forwarded-Proto", in: echo), ["http"])
        XCTAssertEqual(headerValues("X-Forwarded-Host", in: echo), ["gateway.test"])
        let names = headers(of: echo).map { $0.0.lowercased() }
        XCTAssertFalse(names.contains { $0.hasPrefix("x-auth-") }, "spoofed identity headers reached the upstream: \(names)")
    }

    func testUnmatchedPathGets404AndHealthEndpointsAnswerBeforeLocations() throws {
        let upstream = try startUpstream()
        let gateway = try startGateway(
            GatewayProcess.publicConfig(
                upstreamPort: upstream.port, locations: "location /app/ { auth off; proxy_pass app; }"))
        let client = try gateway.client()
        let missing = try client.request("GET", "/other", headers: [("Accept", "application/json")])
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(try missing.json()["status"] as? Int, 404)
        XCTAssertEqual(try client.request("GET", "/app/x").status, 200)
        let health = try client.request("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(try health.json()["status"] as? String, "ok")
    }

    func testLongestPrefixWinsAndDotSegmentsAreRefused() throws {
        let upstream = try startUpstream()
        let other = try startUpstream()
        let gateway = try startGateway(
            """
            listen 127.0.0.1:0;
            workers 1;
            upstream app { server 127.0.0.1:\(upstream.port); }
            upstream static { server 127.0.0.1:\(other.port); }
            location /static/ { auth off; proxy_pass static; }
            location /static/app/ { auth off; proxy_pass app; }
            location / { auth off; proxy_pass app; }
            """)
        let client = try gateway.client()
        let a = try client.request("GET", "/static/x")
        let b = try client.request("GET", "/static/app/x")
        let c = try client.request("GET", "/%73tatic/x")
        XCTAssertNotEqual(a.header("X-Upstream-Connection") ?? "", "")
        XCTAssertEqual(try a.json()["path"] as? String, "/static/x")
        XCTAssertEqual(try b.json()["path"] as? String, "/static/app/x")
        // Each upstream numbers its own connections, so compare ports through /stats instead.
        let staticStats = try RawHTTPClient(port: other.port).request("GET", "/stats").json()
        XCTAssertEqual(staticStats["requests"] as? Int, 3, "/static/x and /%73tatic/x went to the static upstream")
        XCTAssertEqual(c.status, 200)
        for path in ["/static/../admin", "/static/%2e%2e/admin", "/a/./b", "/static\\..\\x"] {
            let refused = try gateway.client().request("GET", path)
            XCTAssertEqual(refused.status, 400, path)
        }
    }

    func testHeadAnd204And304HaveNoBody() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        let head = try client.request("HEAD", "/download?size=1000")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), "1000")
        XCTAssertEqual(head.body.count, 0)
        XCTAssertEqual(try client.request("GET", "/status?code=204").status, 204)
        XCTAssertEqual(try client.request("GET", "/status?code=304").status, 304)
        // The connection is still in step: the next response is the right one.
        XCTAssertEqual(try client.request("GET", "/after").json()["path"] as? String, "/after")
    }

    func testPipelinedRequestsAnsweredInOrder() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        var batch = ""
        for i in 0..<5 { batch += "GET /p/\(i) HTTP/1.1\r\nHost: x\r\n\r\n" }
        try client.send(batch)
        for i in 0..<5 {
            XCTAssertEqual(try client.readResponse().json()["path"] as? String, "/p/\(i)")
        }
    }

    func testAbsoluteFormTargetIsSplitIntoHostAndPath() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        try client.send("GET http://example.test:8080/abs?q=1 HTTP/1.1\r\nHost: ignored.test\r\n\r\n")
        let echo = try client.readResponse().json()
        XCTAssertEqual(echo["path"] as? String, "/abs?q=1")
        XCTAssertEqual(headerValues("Host", in: echo), ["example.test:8080"])
    }

    func testExpectContinueGetsInterimResponseThenBodyIsForwarded() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        try client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        var interim = [UInt8](repeating: 0, count: 25)
        let n = recv(client.fd, &interim, 25, 0)
        XCTAssertEqual(String(decoding: interim[0..<max(0, n)], as: UTF8.self), "HTTP/1.1 100 Continue\r\n\r\n")
        try client.send("hello")
        let response = try client.readResponse()
        XCTAssertEqual(try response.json()["body_bytes"] as? Int, 5)
    }

    func testHTTP10ClientGetsCloseDelimitedBodyFromChunkedUpstream() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        try client.send("GET /download?size=100000&chunked=1 HTTP/1.0\r\n\r\n")
        let raw = try client.readToEnd()
        let text = String(decoding: raw.prefix(400), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 200"), text)
        XCTAssertFalse(text.lowercased().contains("transfer-encoding"), text)
        let headEnd = raw.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
        XCTAssertEqual(raw.count - headEnd, 100_000)
    }

    func testConnectionsSpreadOverSeveralWorkers() throws {
        let (_, gateway) = try startPair(workers: 2)
        for i in 0..<20 {
            XCTAssertEqual(try gateway.client().request("GET", "/w/\(i)").status, 200)
        }
    }

    func testUpgradeBecomesAByteTunnelBothWays() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        try client.send(
            "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX-Auth-User: spoof\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 101)
        XCTAssertEqual(response.header("Upgrade"), "websocket")
        XCTAssertEqual(response.header("Connection")?.lowercased(), "upgrade")
        for message in ["hello", String(repeating: "x", count: 200_000)] {
            try client.send(message)
            var echoed: [UInt8] = []
            while echoed.count < message.utf8.count {
                var chunk = [UInt8](repeating: 0, count: 65536)
                let n = recv(client.fd, &chunk, chunk.count, 0)
                XCTAssertGreaterThan(n, 0, "the tunnel closed")
                if n <= 0 { return }
                echoed += chunk[0..<n]
            }
            XCTAssertEqual(String(decoding: echoed, as: UTF8.self), message.uppercased())
        }
    }

    func testEachRequestGetsAnIdAndATraceThatReachTheUpstreamAndTheAccessLog() throws {
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        let echo = try client.request(
            "GET", "/echo?traced=1", headers: [("X-Request-Id", "chosen-by-client"), ("traceparent", parent)]
        ).json()
        let id = try XCTUnwrap(headerValues("X-Request-Id", in: echo).first)
        XCTAssertEqual(headerValues("X-Request-Id", in: echo).count, 1)
        XCTAssertNotEqual(id, "chosen-by-client", "a client that is no trusted proxy does not choose its id")
        XCTAssertEqual(id.count, 32)
        let traceParent = try XCTUnwrap(headerValues("traceparent", in: echo).first)
        XCTAssertNotEqual(traceParent, parent)
        XCTAssertTrue(traceParent.hasPrefix("00-\(id)-"), traceParent)
        let line = try gateway.child.waitFor("the access line", in: { gateway.child.stdout }) { text in
            text.split(separator: "\n").first { $0.contains("/echo?traced=1") }.map(String.init)
        }
        let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(entry["request_id"] as? String, id)
        XCTAssertEqual(entry["trace_id"] as? String, id)

        let (_, trusting) = try startPair(extra: "trusted_proxies 127.0.0.1;")
        let passed = try trusting.client().request(
            "GET", "/echo", headers: [("X-Request-Id", "lb-42"), ("traceparent", parent), ("tracestate", "vendor=1")]
        ).json()
        XCTAssertEqual(headerValues("X-Request-Id", in: passed), ["lb-42"])
        XCTAssertEqual(headerValues("traceparent", in: passed), [parent])
        XCTAssertEqual(headerValues("tracestate", in: passed), ["vendor=1"])
    }
}
