// Large bodies stream through in both directions without the gateway holding them.
import Foundation
import XCTest

final class StreamingTests: IntegrationTestCase {
    static let size = 64 * 1024 * 1024

    func testChunkedUploadOf64MiBStreamsWithBoundedMemory() throws {
        let (_, gateway) = try startPair()
        let before = gateway.child.memory()
        let client = try gateway.client(timeout: 90)
        try client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        var piece = [UInt8](repeating: 0, count: 256 * 1024)
        for i in piece.indices { piece[i] = UInt8(i % 251) }
        let chunkHeader = Array((String(piece.count, radix: 16) + "\r\n").utf8)
        var framed = chunkHeader + piece + Array("\r\n".utf8)
        for _ in 0..<(Self.size / piece.count) { try client.send(framed) }
        framed = Array("0\r\n\r\n".utf8)
        try client.send(framed)
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        let echo = try response.json()
        XCTAssertEqual(echo["body_bytes"] as? Int, Self.size)
        XCTAssertEqual(echo["body_sha256"] as? String, Self.expectedUploadDigest(piece: piece))
        let after = gateway.child.memory()
        XCTAssertLessThan(after.peak - before.rss, 24 * 1024, "peak RSS grew by \(after.peak - before.rss) KiB for a 64 MiB body")
    }

    func testChunkedDownloadOf64MiBToASlowReaderStreamsWithBoundedMemory() throws {
        let (_, gateway) = try startPair()
        let before = gateway.child.memory()
        let client = try gateway.client(timeout: 90)
        try client.send("GET /download?size=\(Self.size)&chunked=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        var received = 0
        var mismatch = false
        var reads = 0
        let response = try client.readResponse { piece in
            for (k, b) in piece.enumerated() where b != UInt8((received + k) % 251) {
                mismatch = true
                break
            }
            received += piece.count
            reads += 1
            // A slow reader at first: the gateway must hold back, not buffer the rest.
            if reads < 40 { Thread.sleep(forTimeInterval: 0.01) }
        }
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Transfer-Encoding"), "chunked")
        XCTAssertEqual(received, Self.size)
        XCTAssertFalse(mismatch, "the body's bytes changed on the way")
        let after = gateway.child.memory()
        XCTAssertLessThan(after.peak - before.rss, 24 * 1024, "peak RSS grew by \(after.peak - before.rss) KiB for a 64 MiB body")
        // The connection is still usable.
        XCTAssertEqual(try client.request("GET", "/after").status, 200)
    }

    func testContentLengthDownloadPassesThroughUnchanged() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        let response = try client.request("GET", "/download?size=3000000")
        XCTAssertEqual(response.header("Content-Length"), "3000000")
        XCTAssertNil(response.header("Transfer-Encoding"))
        XCTAssertEqual(response.body.count, 3_000_000)
        XCTAssertTrue(response.body.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
    }

    func testUpstreamBodyEndingAtCloseIsRechunkedForHTTP11Clients() throws {
        let (_, gateway) = try startPair()
        let client = try gateway.client()
        let response = try client.request("GET", "/no-length")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Transfer-Encoding"), "chunked")
        XCTAssertGreaterThan(response.body.count, 0)
        XCTAssertEqual(try client.request("GET", "/after").status, 200, "the client connection stays open")
    }

    func testPerSocketDispatchBackendProxiesTheSame() throws {
        let (_, gateway) = try startPair(workers: 2, extra: "event_backend dispatch;")
        XCTAssertTrue(gateway.child.stderr.contains("\"event_backend\":\"dispatch\""))
        let client = try gateway.client()
        var connections = Set<String>()
        for i in 0..<50 {
            let response = try client.request("GET", "/d/\(i)")
            XCTAssertEqual(try response.json()["path"] as? String, "/d/\(i)")
            connections.insert(response.header("X-Upstream-Connection") ?? "?")
        }
        XCTAssertEqual(connections.count, 1)
        var received = 0
        let download = try client.readResponseAfterSending("GET /download?size=8000000&chunked=1 HTTP/1.1\r\nHost: x\r\n\r\n") {
            received += $0.count
        }
        XCTAssertEqual(download.status, 200)
        XCTAssertEqual(received, 8_000_000)
        let upload = try client.request("POST", "/upload", body: [UInt8](repeating: 7, count: 3_000_000))
        XCTAssertEqual(try upload.json()["body_bytes"] as? Int, 3_000_000)
    }

    private static func expectedUploadDigest(piece: [UInt8]) -> String {
        // sha256 of the piece repeated; computed with the system's sha256sum to stay independent.
        let dir = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("body")
        var whole = Data()
        let data = Data(piece)
        for _ in 0..<(size / piece.count) { whole.append(data) }
        try? whole.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: out.prefix(64), as: UTF8.self)
    }
}
