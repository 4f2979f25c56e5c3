// Upgrades through the real gateway: only a genuine RFC 6455 handshake, answered by a genuine
// WebSocket server, becomes a tunnel; cross-site ones stay out of protected locations; and a
// tunnel ends on silence, on a client that stops reading, and when its session ends.
import Foundation
import GatewayTestSupport
import XCTest

final class WebSocketTests: IntegrationTestCase {
    // RFC 6455 §1.3's example.
    private static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    private static let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private func handshake(_ path: String, _ extra: [String] = [], without: String? = nil, requestLine: String? = nil)
        -> String
    {
        let lines = [
            requestLine ?? "GET \(path) HTTP/1.1", "Host: gateway.test", "Connection: Upgrade", "Upgrade: websocket",
            "Sec-WebSocket-Key: \(Self.key)", "Sec-WebSocket-Version: 13",
        ]
        return (lines.filter { without == nil || !$0.hasPrefix(without!) } + extra).joined(separator: "\r\n")
            + "\r\n\r\n"
    }

    /// Sends `message` into an open tunnel and reads back the upstream's upper-cased echo.
    private func echo(_ client: RawHTTPClient, _ message: String) throws -> String {
        try client.send(message)
        var echoed: [UInt8] = []
        while echoed.count < message.utf8.count {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(client.fd, &chunk, chunk.count, 0)
            guard n > 0 else { throw TestFailure("the tunnel closed after \(echoed.count) bytes") }
            echoed += chunk[0..<n]
        }
        return String(decoding: echoed, as: UTF8.self)
    }

    /// Seconds until the gateway closes the tunnel (EOF), reading and dropping whatever comes.
    private func secondsUntilClosed(_ client: RawHTTPClient, limit: Int = 64 << 20) throws -> Double {
        let start = Date()
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(client.fd, &chunk, chunk.count, 0)
            if n == 0 || (n < 0 && errno == ECONNRESET) { return Date().timeIntervalSince(start) }
            guard n > 0 else {
                throw TestFailure("the tunnel is still open after \(Date().timeIntervalSince(start)) s")
            }
            total += n
            guard total < limit else { throw TestFailure("the tunnel kept streaming: \(total) bytes") }
        }
    }

    func testWebSocketTunnelWorksEndToEnd() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        try client.send(handshake("/ws", ["Sec-WebSocket-Protocol: chat"]))
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 101)
        XCTAssertEqual(response.header("Upgrade"), "websocket")
        XCTAssertEqual(response.header("Connection")?.lowercased(), "upgrade")
        XCTAssertEqual(response.header("Sec-WebSocket-Accept"), Self.accept)
        for message in ["hello", String(repeating: "x", count: 300_000), "bye"] {
            XCTAssertEqual(try echo(client, message), message.uppercased())
        }
    }

    func testInvalidHandshakeGets400() throws {
        let (upstream, gateway) = try startPair()
        let cases: [(String, String)] = [
            ("no key", handshake("/ws", without: "Sec-WebSocket-Key")),
            (
                "a 15-byte key",
                handshake("/ws", ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j"], without: "Sec-WebSocket-Key")
            ),
            (
                "a key that is not base64",
                handshake("/ws", ["Sec-WebSocket-Key: not a key at all!!!!"], without: "Sec-WebSocket-Key")
            ),
            ("two keys", handshake("/ws", ["Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA=="])),
            ("version 8", handshake("/ws", ["Sec-WebSocket-Version: 8"], without: "Sec-WebSocket-Version")),
            ("no version", handshake("/ws", without: "Sec-WebSocket-Version")),
            ("POST", handshake("/ws", requestLine: "POST /ws HTTP/1.1")),
            ("HTTP/1.0", handshake("/ws", requestLine: "GET /ws HTTP/1.0")),
            ("no Connection: upgrade", handshake("/ws", ["Connection: keep-alive"], without: "Connection")),
            ("websocket beside h2c", handshake("/ws", ["Upgrade: h2c"])),
            ("a smuggled body", handshake("/ws", ["Content-Length: 18"]) + "GET /admin HTTP/1.1"),
        ]
        for (name, request) in cases {
            let client = try gateway.client()
            try client.send(request)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 400, name)
            XCTAssertTrue(response.text.contains("WebSocket"), "\(name): \(response.text)")
            XCTAssertTrue(client.isClosedByPeer(), "\(name): the connection stays open")
        }
        let stats = try RawHTTPClient(port: upstream.port).request("GET", "/stats").json()
        XCTAssertEqual(stats["requests"] as? Int, 1, "only this /stats request reached the upstream")
    }

    func testReflected101WithoutValidAcceptGets502() throws {
        let (_, gateway) = try startPair()
        for path in ["/ws-no-accept", "/ws-wrong-accept"] {
            let client = try gateway.client()
            try client.send(handshake(path))
            XCTAssertEqual(try client.readResponse().status, 502, path)
            // No tunnel opened: the same connection carries a plain request (a tunnel would echo it upper-cased).
            let after = try client.request("GET", "/after")
            XCTAssertEqual(after.status, 200, path)
            XCTAssertEqual(try after.json()["path"] as? String, "/after")
        }
    }

    func testH2cUpgradeIsNotForwarded() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        let h2c = [
            ("Connection", "Upgrade, HTTP2-Settings"), ("Upgrade", "h2c"),
            ("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"),
        ]
        let plain = try client.request("GET", "/echo", headers: h2c)
        XCTAssertEqual(plain.status, 200)
        let names = Set(headers(of: try plain.json()).map { $0.0.lowercased() })
        for dropped in ["upgrade", "http2-settings", "connection"] {
            XCTAssertFalse(names.contains(dropped), "\(dropped) reached the upstream: \(names)")
        }
        // An upstream that switches to h2c anyway (it would then read the connection as HTTP/2) gets 502.
        XCTAssertEqual(try client.request("GET", "/h2c", headers: h2c).status, 502)
        XCTAssertEqual(try client.request("GET", "/after").status, 200, "no tunnel opened")
    }

    func testTunnelIdleTimeoutClosesTunnel() throws {
        let (_, gateway) = try startPair(extra: "tunnel_idle_timeout 1s;")
        let client = try gateway.client(timeout: 10)
        try client.send(handshake("/ws"))
        XCTAssertEqual(try client.readResponse().status, 101)
        // Bytes keep it open well past one idle timeout...
        for i in 0..<5 {
            XCTAssertEqual(try echo(client, "ping \(i)"), "PING \(i)")
            Thread.sleep(forTimeInterval: 0.5)
        }
        // ...and silence closes it.
        let seconds = try secondsUntilClosed(client)
        XCTAssertGreaterThan(seconds, 0.3)
        XCTAssertLessThan(seconds, 4)
    }

    func testTunnelOutlivesTheUpstreamReadTimeout() throws {
        let (_, gateway) = try startPair(upstreamExtra: "read_timeout 1s;")
        let client = try gateway.client()
        try client.send(handshake("/ws"))
        XCTAssertEqual(try client.readResponse().status, 101)
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(try echo(client, "still here"), "STILL HERE", "a quiet tunnel is not a slow response")
    }

    func testTunnelToAClientThatStopsReadingIsClosedAfterSendTimeout() throws {
        let (_, gateway) = try startPair(extra: "send_timeout 1s;")
        let client = try gateway.client()
        try client.send(handshake("/ws-flood"))
        XCTAssertEqual(try client.readResponse().status, 101)
        Thread.sleep(forTimeInterval: 4)  // every buffer on the way fills, then nothing moves
        XCTAssertLessThan(try secondsUntilClosed(client), 5)
    }

    func testTunnelToAnUpstreamThatStopsReadingIsClosedAfterSendTimeout() throws {
        let (_, gateway) = try startPair(extra: "send_timeout 1s;", upstreamExtra: "send_timeout 1s;")
        let client = try gateway.client()
        try client.send(handshake("/ws-deaf"))
        XCTAssertEqual(try client.readResponse().status, 101)
        // Push until every buffer on the way to the deaf upstream is full and the gateway stops reading us.
        let piece = [UInt8](repeating: 0x61, count: 65536)
        var sent = 0
        var refusedSince: Date?
        while sent < 256 << 20 {
            let n = piece.withUnsafeBytes {
                Glibc.send(client.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if n > 0 {
                sent += n
                refusedSince = nil
                continue
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { break }  // closed by the gateway already
            if let since = refusedSince, Date().timeIntervalSince(since) > 0.5 { break }
            refusedSince = refusedSince ?? Date()
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertLessThan(sent, 256 << 20, "the gateway kept reading with nowhere to put the bytes")
        XCTAssertLessThan(try secondsUntilClosed(client), 5)
    }

    // MARK: Protected locations

    private func signInSetUp(extra: String = "") throws -> (GatewayProcess, URL) {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let redis = try redisPort()
        return try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s3cret; }",
            store: "redis://127.0.0.1:\(redis)/0", extra: extra)
    }

    /// A signed-in browser's session cookie, as a Cookie field value.
    private func sessionCookie(_ browser: Browser, base: URL, sub: String) throws -> String {
        try signIn(browser, base: base, sub: sub)
        return "__gateway=" + (try XCTUnwrap(browser.cookies(for: base)["__gateway"]))
    }

    func testCrossSiteWebSocketOnProtectedLocationGets403() throws {
        let (gateway, base) = try signInSetUp(extra: "websocket_origins https://chat.example.com;")
        let cookie = try sessionCookie(Browser(), base: base, sub: "alice")
        let own = base.absoluteString
        let cases: [(String, [String], Int)] = [
            ("/ws", ["Origin: https://evil.example"], 403),
            ("/ws", ["Origin: null"], 403),
            ("/ws", ["Origin: \(own).evil.example"], 403),
            ("/ws", ["Origin: \(own)", "Origin: https://evil.example"], 403),
            ("/ws", ["Origin: \(own)"], 101),
            ("/ws", ["Origin: https://chat.example.com"], 101),
            ("/ws", [], 101),  // not a browser: browsers always send Origin on a WebSocket
            ("/public/ws", ["Origin: https://evil.example"], 101),  // public locations are not checked
        ]
        for (path, lines, status) in cases {
            let client = try gateway.client()
            try client.send(handshake(path, lines + ["Cookie: \(cookie)"]))
            XCTAssertEqual(try client.readResponse().status, status, "\(path) \(lines)")
        }
    }

    func testTunnelClosesAfterSignOut() throws {
        let (gateway, base) = try signInSetUp()
        let leaving = Browser()
        let leavingCookie = try sessionCookie(leaving, base: base, sub: "bob")
        let stayingCookie = try sessionCookie(Browser(), base: base, sub: "carol")
        var tunnels: [RawHTTPClient] = []
        for cookie in [leavingCookie, stayingCookie] {
            let client = try gateway.client(timeout: 25)
            try client.send(handshake("/ws", ["Origin: \(base.absoluteString)", "Cookie: \(cookie)"]))
            XCTAssertEqual(try client.readResponse().status, 101)
            XCTAssertEqual(try echo(client, "hi"), "HI")
            tunnels.append(client)
        }
        let out = try leaving.request(
            "POST", URL(string: "/auth/sign_out", relativeTo: base)!.absoluteURL,
            headers: [("Origin", base.absoluteString), ("Sec-Fetch-Site", "same-origin")])
        XCTAssertEqual(out.response.status, 302)
        // The session check runs every 15 s: the signed-out tunnel ends within one interval.
        XCTAssertLessThan(try secondsUntilClosed(tunnels[0]), 17)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(try echo(tunnels[1], "still signed in"), "STILL SIGNED IN", "a live session keeps its tunnel")
    }
}
