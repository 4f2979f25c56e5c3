// The upstream breaking off mid-response (closing, or SIGKILLed): the client gets the head and
// the bytes that came, then a close before the declared end (no last chunk), never a hang; the
// access log has the request, and the next request works.
import Foundation
import GatewayHTTP
import GatewayTestSupport
import XCTest

final class UpstreamAbortFaultTests: IntegrationTestCase {
    private struct Broken {
        var head: HTTPResponseHead
        var body = 0
        var complete = false
        var closedAfter: TimeInterval
    }

    private func startAborting(port: Int = 0) throws -> (FixtureProcess, Int) {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [TestPaths.fixtures.appendingPathComponent("aborting_upstream.py").path, "--port", String(port)],
            directory: directory, name: "aborting-\(UUID().uuidString.prefix(6))")
        track(child)
        return (child, try child.waitForPort("the aborting upstream"))
    }

    /// Reads until the gateway closes; a read that times out (10 s) is a hang and fails.
    private func readUntilClosed(_ client: RawHTTPClient, since start: Date) throws -> Broken {
        let bytes: [UInt8]
        do { bytes = try client.readToEnd() } catch {
            throw TestFailure("the gateway never closed the broken response (\(error))")
        }
        let closedAfter = Date().timeIntervalSince(start)
        var parser = HTTPResponseParser()
        guard case .complete(let head, let consumed) = bytes.withUnsafeBytes({ parser.parse($0, requestMethod: .get) })
        else { throw TestFailure("no response head: \(String(decoding: bytes.prefix(300), as: UTF8.self))") }
        var broken = Broken(head: head, closedAfter: closedAfter)
        var decoder = HTTPBodyDecoder(framing: head.framing)
        _ = try Array(bytes[consumed...]).withUnsafeBytes { raw in try decoder.decode(raw) { broken.body += $0.count } }
        broken.complete = decoder.isComplete || decoder.finishAtEOF()
        return broken
    }

    private func accessLine(_ gateway: GatewayProcess, _ marker: String) throws -> String {
        try XCTUnwrap(try gateway.settledLogs().split(separator: "\n").first { $0.contains(marker) }.map(String.init))
    }

    func testUpstreamClosingMidBodyGivesATruncatedClosedResponse() throws {
        let (_, port) = try startAborting()
        let gateway = try startGateway(GatewayProcess.publicConfig(upstreamPort: port))
        let client = try gateway.client(timeout: 10)
        let start = Date()
        try client.send("GET /partial?length=100000&send=3000&end=close&m=closed HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
        let broken = try readUntilClosed(client, since: start)
        print("upstream closed after 3000 of 100000 bytes: client saw the close after \(Int(broken.closedAfter * 1000)) ms")
        XCTAssertEqual(broken.head.status, 200)
        XCTAssertEqual(broken.head.framing, .length(100_000))
        XCTAssertEqual(broken.body, 3000, "the bytes that came are passed on")
        XCTAssertFalse(broken.complete, "a truncated body must not look complete")
        XCTAssertLessThan(broken.closedAfter, 3)
        let line = try accessLine(gateway, "m=closed")
        XCTAssertTrue(line.contains("\"bytes\":3000,") && line.contains("\"incomplete\":true"), line)
        XCTAssertEqual(try gateway.client().request("GET", "/next").text, "ok", "the next request works")
        XCTAssertFalse(try accessLine(gateway, "/next").contains("incomplete"), "a whole answer is not incomplete")
    }

    func testUpstreamKilledMidContentLengthBody() throws {
        try killedMidResponse(chunked: false)
    }

    func testUpstreamKilledMidChunkedBodyNeverSendsTheLastChunk() throws {
        try killedMidResponse(chunked: true)
    }

    private func killedMidResponse(chunked: Bool) throws {
        let (upstream, port) = try startAborting()
        let gateway = try startGateway(GatewayProcess.publicConfig(upstreamPort: port))
        let client = try gateway.client(timeout: 10)
        let marker = "m=killed-\(chunked ? "chunked" : "length")"
        try client.send(
            "GET /partial?length=100000&send=5000&chunked=\(chunked ? 1 : 0)&end=hang&\(marker) HTTP/1.1\r\n"
                + "Host: gateway.test\r\n\r\n")
        _ = try upstream.waitFor("the partial answer", in: { upstream.stdout }) { $0.contains("PARTIAL") ? true : nil }
        Thread.sleep(forTimeInterval: 0.2)  // the gateway has passed the bytes on
        let killedAt = Date()
        upstream.signal(SIGKILL)
        let broken = try readUntilClosed(client, since: killedAt)
        print(
            "upstream SIGKILLed mid-\(chunked ? "chunked" : "Content-Length") body: "
                + "client saw the close \(Int(broken.closedAfter * 1000)) ms after the kill, \(broken.body) bytes")
        XCTAssertEqual(broken.head.status, 200)
        XCTAssertEqual(broken.head.framing, chunked ? .chunked : .length(100_000))
        XCTAssertEqual(broken.body, 5000)
        XCTAssertFalse(broken.complete, chunked ? "a last chunk was made up" : "the body looked complete")
        XCTAssertLessThan(broken.closedAfter, 3, "the close took too long")
        XCTAssertTrue(gateway.child.isRunning)
        let line = try accessLine(gateway, marker)
        XCTAssertTrue(line.contains("\"bytes\":5000,") && line.contains("\"incomplete\":true"), line)

        // The upstream comes back on its port: the next request gets a fresh connection.
        upstream.waitForExit()
        _ = try startAborting(port: port)
        XCTAssertEqual(try gateway.client().request("GET", "/next").text, "ok", "the next request works")
    }
}
