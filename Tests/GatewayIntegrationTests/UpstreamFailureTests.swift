// 502, 504, the stale-pool retry, and readiness following the upstream.
import Foundation
import GatewayTestSupport
import XCTest

final class UpstreamFailureTests: IntegrationTestCase {
    func testUnreachableUpstreamGets502InTheFormatTheClientAccepts() throws {
        let gateway = try startGateway(GatewayProcess.publicConfig(upstreamPort: closedPort()))
        let client = try gateway.client()
        let json = try client.request("GET", "/x", headers: [("Accept", "application/json")])
        XCTAssertEqual(json.status, 502)
        XCTAssertEqual(json.header("Content-Type"), "application/json")
        XCTAssertEqual(try json.json()["error"] as? String, "Bad Gateway")
        let html = try client.request("GET", "/x", headers: [("Accept", "text/html")])
        XCTAssertEqual(html.status, 502)
        XCTAssertTrue(html.text.contains("<h1>502 Bad Gateway</h1>"), html.text)
    }

    func testSlowUpstreamGets504AfterReadTimeout() throws {
        let (_, gateway) = try startPair(upstreamExtra: "read_timeout 300ms;")
        let client = try gateway.client()
        let started = Date()
        let response = try client.request("GET", "/slow?ms=3000", headers: [("Accept", "application/json")])
        XCTAssertEqual(response.status, 504)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
        XCTAssertEqual(try client.request("GET", "/fine").status, 200, "the client connection survives a 504")
    }

    func testUpstreamThatNeverAcceptsGets504AfterConnectTimeout() throws {
        // A listener with a full accept queue drops new SYNs, so a connect hangs: a real timeout on loopback.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                bind(listener, p, len)
                listen(listener, 0)
                return getsockname(listener, p, &len)
            }
        }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, len) }
            }
            fillers.append(fd)
        }
        Thread.sleep(forTimeInterval: 0.2)
        let gateway = try startGateway(
            GatewayProcess.publicConfig(upstreamPort: port, upstreamExtra: "connect_timeout 300ms;"))
        let started = Date()
        let response = try gateway.client().request("GET", "/x", headers: [("Accept", "application/json")])
        XCTAssertEqual(response.status, 504)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testStalePooledConnectionIsRetriedOnceForIdempotentRequests() throws {
        // The upstream closes a kept-alive connection, unanswered, when a second request comes
        // on it: the race of an idle close with a new request, made certain.
        let upstream = try startUpstream(closeOnReuse: true)
        let gateway = try startGateway(GatewayProcess.publicConfig(upstreamPort: upstream.port))
        let client = try gateway.client()
        for i in 0..<4 {
            let response = try client.request("GET", "/again/\(i)")
            XCTAssertEqual(response.status, 200, "GET \(i) should be retried on a fresh connection")
            XCTAssertEqual(response.header("X-Upstream-Request-Index"), "1")
        }
        let stats = try RawHTTPClient(port: upstream.port).request("GET", "/stats").json()
        XCTAssertEqual(stats["dropped"] as? Int, 3, "requests 2-4 each met a stale connection once")

        // A POST is not idempotent: it is never sent twice.
        let post = try client.request("POST", "/once", headers: [("Accept", "application/json")], body: Array("x".utf8))
        XCTAssertEqual(post.status, 502)
    }

    func testUpstreamClosingIdleConnectionsIsNoticedWhilePooled() throws {
        let (_, gateway) = try startPair(idleCloseMillis: 150)
        let client = try gateway.client()
        XCTAssertEqual(try client.request("GET", "/one").status, 200)
        Thread.sleep(forTimeInterval: 0.4)
        // The pool saw the close while idle, so the next request opens a new connection at once.
        let response = try client.request("GET", "/two")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("X-Upstream-Request-Index"), "1")
        XCTAssertFalse(gateway.child.stderr.contains("retrying"), "the close should be seen before a request needs it")
    }

    func testReadyzFollowsTheUpstream() throws {
        let (upstream, gateway) = try startPair()
        let client = try gateway.client()
        let ready200 = try waitUntil(timeout: 5, interval: 0.05) { try client.request("GET", "/readyz").status == 200 }
        XCTAssertTrue(ready200, "readyz 200")
        upstream.stop()
        let ready503 = try waitUntil(timeout: 5, interval: 0.05) { try client.request("GET", "/readyz").status == 503 }
        XCTAssertTrue(ready503, "readyz 503")
        let report = try client.request("GET", "/readyz").json()
        let failed = report["failed"] as? [String] ?? []
        XCTAssertEqual(failed.count, 1)
        XCTAssertTrue(failed.first?.contains("upstream app server 127.0.0.1:\(upstream.port)") ?? false, "\(failed)")
        XCTAssertEqual(try client.request("GET", "/healthz").status, 200, "liveness does not depend on upstreams")
    }
}
