// Clients that try to pin the gateway: pipelining without reading, not reading a response,
// and more connections than there are file descriptors.
import Foundation
import GatewayTestSupport
import XCTest

final class ConnectionLimitTests: IntegrationTestCase {
    /// POLLRDHUP (Linux, behind _GNU_SOURCE, so not imported): the peer shut its write side.
    private static let pollReadHangUp: Int16 = 0x2000

    func testPipelinedLocalAnswersWaitForTheClientToRead() throws {
        let upstream = try startUpstream()
        let gateway = try startGateway(
            GatewayProcess.publicConfig(
                upstreamPort: upstream.port, extra: "keepalive_timeout 60s; client_header_timeout 60s;",
                locations: "location /app/ { auth off; proxy_pass app; }"))
        // A small receive window, so the kernel's buffers cannot hide a queue the gateway grows.
        let client = try RawHTTPClient(port: gateway.port, timeout: 30, receiveBuffer: 16 * 1024)
        XCTAssertEqual(try client.request("GET", "/app/warm-up").status, 200)
        let before = gateway.child.memory().rss
        // 404s, and a last request that is proxied (its echo shows the order was kept). Proxied
        // answers pause on the queue already, so more of them would hide what is tested here.
        let count = 60_000
        var requests: [UInt8] = []
        requests.reserveCapacity(count * 40)
        for i in 0..<count {
            let path = i == count - 1 ? "/app/echo/\(i)" : "/none/\(i)"
            requests += Array("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        }
        let writer = BackgroundWriter(fd: client.fd, bytes: requests, timeout: 90)
        // Wait until the gateway stops answering (its access log stops growing), at most 30 s.
        var answered = -1
        let stallStart = Date()
        while Date().timeIntervalSince(stallStart) < 30 {
            Thread.sleep(forTimeInterval: 1)
            let lines = gateway.child.stdout.split(separator: "\n").count
            if lines == answered { break }
            answered = lines
        }
        let stalled = gateway.child.memory().rss
        let growth = stalled - before
        print("pipelining: \(answered) answered at the stall; RSS \(before) KiB -> \(stalled) KiB (+\(growth) KiB)")
        XCTAssertLessThan(answered, count, "every request was answered into a queue the client never read")
        XCTAssertLessThan(growth, 6 * 1024, "RSS grew by \(growth) KiB while the client did not read")
        let readStart = Date()
        var answerBytes = 0
        for i in 0..<count {
            let response = try client.readResponse()
            answerBytes += response.body.count
            if i == count - 1 {
                XCTAssertEqual(response.status, 200, "response \(i)")
                XCTAssertEqual(
                    try response.json()["path"] as? String, "/app/echo/\(i)", "response \(i) is out of order")
            } else if response.status != 404 {
                XCTFail("response \(i): \(response.status)")
                break
            }
        }
        XCTAssertTrue(writer.wait(timeout: 10))
        print("pipelining: \(answerBytes) answer body bytes read in \(Date().timeIntervalSince(readStart)) s")
        XCTAssertLessThan(Date().timeIntervalSince(readStart), 60)
        XCTAssertEqual(try client.request("GET", "/app/after").status, 200)
    }

    func testSendTimeoutClosesAClientThatStopsReadingAndItsUpstream() throws {
        let (upstream, gateway) = try startPair(extra: "send_timeout 1s;")
        let client = try gateway.client()
        try client.send("GET /download?size=1000000000 HTTP/1.1\r\nHost: x\r\n\r\n")
        let started = Date()
        var closed = false
        while !closed && Date().timeIntervalSince(started) < 10 {
            var p = pollfd(fd: client.fd, events: Int16(POLLIN) | Self.pollReadHangUp, revents: 0)
            _ = poll(&p, 1, 100)
            closed = p.revents & (Self.pollReadHangUp | Int16(POLLHUP) | Int16(POLLERR)) != 0
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(closed, "the gateway still holds a client that reads nothing")
        XCTAssertGreaterThan(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 5)
        // The upstream connection is closed, not pooled: the upstream sees only the stats request.
        var open = -1
        try waitUntil(timeout: 10, interval: 0.1) {
            open =
                try RawHTTPClient(port: upstream.port).request("GET", "/stats").json()["connections_open"] as? Int ?? -1
            return open == 1
        }
        XCTAssertEqual(open, 1, "the stalled upstream connection is still open")
        let after = try gateway.client().request("GET", "/after")
        XCTAssertEqual(after.status, 200)
        XCTAssertEqual(after.header("X-Upstream-Connection").flatMap(Int.init).map { $0 > 1 }, true)
        XCTAssertTrue(gateway.child.stderr.contains("client send timed out"))
    }

    func testRunningOutOfFileDescriptorsPausesAcceptingAndRecovers() throws {
        let upstream = try startUpstream()
        let gateway = try startGateway(GatewayProcess.publicConfig(upstreamPort: upstream.port), fileLimit: 64)
        XCTAssertTrue(
            gateway.child.stderr.contains("max_connections needs more file descriptors than RLIMIT_NOFILE allows"),
            gateway.child.stderr)
        let started = Date()
        var clients: [RawHTTPClient] = []
        for _ in 0..<100 { clients.append(try gateway.client(timeout: 5)) }
        Thread.sleep(forTimeInterval: 2)
        let lines = gateway.child.stderr.split(separator: "\n").filter { $0.contains("accept failed") }
        let seconds = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(lines.count, 0, "the limit was never reached")
        XCTAssertLessThanOrEqual(Double(lines.count), 5 * (seconds + 1), "\(lines.count) accept errors in \(seconds) s")
        print("file limit: \(lines.count) accept-failed lines in \(String(format: "%.1f", seconds)) s")
        clients.removeAll()
        var status = 0
        waitUntil(timeout: 10, interval: 0.1) {
            status = (try? gateway.client(timeout: 5).request("GET", "/after"))?.status ?? 0
            return status == 200
        }
        XCTAssertEqual(status, 200, "the gateway serves again once descriptors are free")
    }
}
