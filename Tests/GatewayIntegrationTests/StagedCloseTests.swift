// Answers that end a connection with input unread reach the client (a staged close, not an
// RST), and a small unread body is dropped so the connection carries the next request.
import Foundation
import XCTest

final class StagedCloseTests: IntegrationTestCase {
    private static let githubProvider = "provider github { client_id client-id; client_secret client-secret; }"

    /// A gateway whose `/app/` needs a session (none is ever made here) and `/public/` does not.
    private func startProtectedGateway() throws -> GatewayProcess {
        let upstream = try startUpstream()
        return try startSignInGateway(
            upstreamPort: upstream.port, providers: Self.githubProvider, store: "memory", discoveringProviders: 0
        ).0
    }

    func testOversizedHeadGets431EveryTimeWhileTheClientIsStillSending() throws {
        let (_, gateway) = try startPair(extra: "max_header_size 16k;")
        let head = Array("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 70_000))\r\n\r\n".utf8)
        for attempt in 0..<20 {
            let client = try gateway.client()
            let writer = BackgroundWriter(fd: client.fd, bytes: head)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 431, "attempt \(attempt)")
            XCTAssertEqual(response.header("Connection"), "close", "attempt \(attempt)")
            XCTAssertTrue(client.isClosedCleanly(), "attempt \(attempt): reset or left open")
            XCTAssertTrue(writer.wait(timeout: 10), "attempt \(attempt): the writer is stuck")
        }
    }

    func testLargeBodyToAProtectedLocationGets401EveryTime() throws {
        let gateway = try startProtectedGateway()
        let body = [UInt8](repeating: 0x61, count: 1024 * 1024)
        for attempt in 0..<10 {
            let client = try gateway.client()
            client.limitSendBuffer(64 * 1024)
            let head =
                "POST /app/upload HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
            let writer = BackgroundWriter(fd: client.fd, bytes: Array(head.utf8) + body)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 401, "attempt \(attempt)")
            XCTAssertEqual(
                response.header("Connection"), "close", "attempt \(attempt): a 1 MiB body is not worth reading")
            XCTAssertTrue(client.isClosedCleanly(), "attempt \(attempt): reset or left open")
            XCTAssertTrue(writer.wait(timeout: 10), "attempt \(attempt): the writer is stuck")
            XCTAssertEqual(writer.failure, 0, "attempt \(attempt): the body was refused with an error, not read")
        }
    }

    func testSmallUnreadBodyIsDroppedAndTheConnectionKept() throws {
        let gateway = try startProtectedGateway()
        let client = try gateway.client()
        let body = [UInt8](repeating: 0x62, count: 1024)
        let post = try client.request("POST", "/app/data", headers: [("Accept", "application/json")], body: body)
        XCTAssertEqual(post.status, 401)
        XCTAssertNil(post.header("Connection"), "a 1 KiB body is read and dropped; the connection stays")
        XCTAssertEqual(try client.request("GET", "/public/after-post").status, 200)
        // A chunked body, sent in two pieces with a pause: dropped as it comes.
        try client.send("POST /app/data HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n")
        Thread.sleep(forTimeInterval: 0.2)
        try client.send(Array(repeating: 0x63, count: 1024) + Array("\r\n0\r\n\r\n".utf8))
        XCTAssertEqual(try client.readResponse().status, 401)
        XCTAssertEqual(try client.request("GET", "/public/after-chunked").status, 200)
    }

    func testBodyOverTheDropLimitEndsTheConnectionAfterTheAnswer() throws {
        let gateway = try startProtectedGateway()
        let client = try gateway.client()
        let body = [UInt8](repeating: 0x64, count: 100 * 1024)
        let head = "POST /app/data HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n"
        let writer = BackgroundWriter(fd: client.fd, bytes: Array(head.utf8) + body)
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("Connection"), "close")
        XCTAssertTrue(client.isClosedCleanly())
        XCTAssertTrue(writer.wait(timeout: 10))
    }

    func testAChunkedBodyOverTheDropLimitIsAnsweredThenClosed() throws {
        let gateway = try startProtectedGateway()
        let client = try gateway.client()
        var request = Array("POST /app/data HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for _ in 0..<40 {
            request += Array("1000\r\n".utf8) + [UInt8](repeating: 0x65, count: 4096) + Array("\r\n".utf8)
        }
        request += Array("0\r\n\r\nGET /public/never HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let writer = BackgroundWriter(fd: client.fd, bytes: request)
        XCTAssertEqual(try client.readResponse().status, 401)
        XCTAssertEqual(try client.readToEnd(), [], "160 KiB of chunks are more than is dropped: no second answer")
        XCTAssertTrue(writer.wait(timeout: 10))
    }
}
