// Streamed body pieces reach the client queue as they are, or as exactly one chunk each.
import GatewayCore
import Glibc
import XCTest

@testable import GatewayProxy

final class WriteQueueBodyTests: XCTestCase {
    /// What the queue would send: flushed into a socket and read back from its peer.
    private func queued(_ queue: WriteQueue) throws -> String {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            XCTFail("socketpair failed: errno \(errno)")
            return ""
        }
        defer { close(fds[0]) }
        XCTAssertEqual(queue.flush(to: fds[1]), .drained)
        close(fds[1])
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += chunk[..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    func testPiecesAreFramedAsOneChunkEach() throws {
        let queue = WriteQueue()
        Array("hello".utf8).withUnsafeBytes { queue.appendBody($0, chunked: true) }
        Array(repeating: UInt8(ascii: "x"), count: 300).withUnsafeBytes { queue.appendBody($0, chunked: true) }
        [UInt8]().withUnsafeBytes { queue.appendBody($0, chunked: true) }  // never a premature last chunk
        XCTAssertEqual(try queued(queue), "5\r\nhello\r\n12c\r\n" + String(repeating: "x", count: 300) + "\r\n")
    }

    func testUnchunkedPiecesPassAsTheyAre() throws {
        let queue = WriteQueue()
        Array("ab".utf8).withUnsafeBytes { queue.appendBody($0, chunked: false) }
        Array("cd".utf8).withUnsafeBytes { queue.appendBody($0, chunked: false) }
        XCTAssertEqual(try queued(queue), "abcd")
    }
}
