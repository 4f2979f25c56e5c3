// Malformed and hostile requests: exact status, then a closed connection, and nothing forwarded.
import Foundation
import XCTest

final class ClientProtocolTests: IntegrationTestCase {
    static let smuggling: [(String, String)] = [
        ("CL and TE", "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("differing CL", "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        ("duplicate CL", "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
        ("CL list", "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"),
        ("malformed CL", "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"),
        ("TE not chunked", "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ("TE chunked twice", "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        ("bad chunk size", "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
        ("bad chunk extension", "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;=x\r\nhello\r\n0\r\n\r\n"),
        ("bare LF", "GET /x HTTP/1.1\nHost: x\n\n"),
        ("bare CR", "GET /x HTTP/1.1\r\nHost: x\rY: z\r\n\r\n"),
        ("NUL in head", "GET /x HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n"),
        ("space before colon", "GET /x HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n"),
        ("obs-fold", "GET /x HTTP/1.1\r\nHost: x\r\nX-A: b\r\n  c\r\n\r\n"),
        ("bad method", "G(T /x HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bad target", "GET x HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("missing Host", "GET /x HTTP/1.1\r\n\r\n"),
    ]

    func testSmugglingAndMalformedRequestsGet400AndAClosedConnection() throws {
        let (upstream, gateway) = try startPair()
        for (name, request) in Self.smuggling {
            let client = try gateway.client()
            try client.send(request)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 400, name)
            XCTAssertEqual(response.header("Connection"), "close", name)
            XCTAssertTrue(client.isClosedByPeer(), "\(name): the connection stays open")
        }
        let stats = try RawHTTPClient(port: upstream.port).request("GET", "/stats").json()
        XCTAssertEqual(stats["requests"] as? Int, 1, "a malformed request reached the upstream")
    }

    func testOversizedHeadGets431() throws {
        let (_, gateway) = try startPair(extra: "max_header_size 4k;")
        let client = try gateway.client()
        try client.send("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 5000))\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 431)
        XCTAssertTrue(client.isClosedByPeer())
        // Just under the limit is fine.
        let ok = try gateway.client().request("GET", "/x", headers: [("X-Big", String(repeating: "a", count: 3000))])
        XCTAssertEqual(ok.status, 200)
    }

    func testSlowHeadGets408AfterClientHeaderTimeout() throws {
        let (_, gateway) = try startPair(extra: "client_header_timeout 500ms;")
        let client = try gateway.client()
        let started = Date()
        try client.send("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 408)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(elapsed, 0.4)
        XCTAssertLessThan(elapsed, 3)
        XCTAssertTrue(client.isClosedByPeer())
    }

    func testSlowlorisDrippingBytesStillTimesOut() throws {
        let (_, gateway) = try startPair(extra: "client_header_timeout 600ms;")
        let client = try gateway.client()
        try client.send("GET /x HTTP/1.1\r\nHost: x\r\n")
        var got408 = false
        for _ in 0..<30 {
            // One byte every 100 ms: each read must not extend the header deadline.
            if (try? client.send("X")) == nil { break }
            Thread.sleep(forTimeInterval: 0.1)
            var probe = [UInt8](repeating: 0, count: 64)
            let n = recv(client.fd, &probe, 64, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK))
            if n > 0 {
                got408 = String(decoding: probe[0..<n], as: UTF8.self).hasPrefix("HTTP/1.1 408")
                break
            }
        }
        XCTAssertTrue(got408, "a head dripped byte by byte must still time out")
    }

    func testConnectionsBeyondMaxConnectionsAreClosed() throws {
        let (_, gateway) = try startPair(extra: "max_connections 2;")
        let first = try gateway.client()
        let second = try gateway.client()
        XCTAssertEqual(try first.request("GET", "/1").status, 200)
        XCTAssertEqual(try second.request("GET", "/2").status, 200)
        let third = try gateway.client()
        XCTAssertEqual(try third.readToEnd(), [], "a connection over the limit is closed at once")
        XCTAssertEqual(try first.request("GET", "/1b").status, 200, "the open connections keep working")
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        let (_, gateway) = try startPair(extra: "keepalive_timeout 300ms;")
        let client = try gateway.client()
        XCTAssertEqual(try client.request("GET", "/x").status, 200)
        let started = Date()
        XCTAssertEqual(try client.readToEnd(), [], "an idle connection closes without a response")
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }
}
