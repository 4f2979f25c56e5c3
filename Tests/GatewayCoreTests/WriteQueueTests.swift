// The send queue: what the kernel does not take stays queued, in order, until it does.
import Glibc
import XCTest

@testable import GatewayCore

final class WriteQueueTests: XCTestCase {
    func testDrainsWhenTheKernelTakesEverything() throws {
        let pair = try SocketPair()
        defer { pair.closeBoth() }
        let queue = WriteQueue()
        queue.append(Array("HTTP/1.1 200 OK\r\n\r\n".utf8))
        XCTAssertEqual(queue.flush(to: pair.a), .drained)
        XCTAssertTrue(queue.isEmpty)
        XCTAssertEqual(pair.readAvailable(pair.b), Array("HTTP/1.1 200 OK\r\n\r\n".utf8))
    }

    func testKeepsWhatAFullSocketRefusesAndSendsItLaterInOrder() throws {
        let pair = try SocketPair()
        defer { pair.closeBoth() }
        var size: Int32 = 4096
        _ = setsockopt(pair.a, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let queue = WriteQueue()
        let body = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        queue.append(body)
        XCTAssertEqual(queue.flush(to: pair.a), .pending, "a 1 MiB answer does not fit a small socket buffer")
        XCTAssertGreaterThan(queue.pending, 0)
        var received: [UInt8] = []
        for _ in 0..<10_000 where received.count < body.count {
            received += pair.readAvailable(pair.b)
            if queue.flush(to: pair.a) == .drained { received += pair.readAvailable(pair.b) }
        }
        XCTAssertEqual(received.count, body.count)
        XCTAssertTrue(received == body, "bytes arrive once each, in order")
        XCTAssertTrue(queue.isEmpty)
    }

    func testReportsAFailedPeer() throws {
        let pair = try SocketPair()
        Glibc.close(pair.b)
        defer { Glibc.close(pair.a) }
        signal(SIGPIPE, SIG_IGN)
        let queue = WriteQueue()
        queue.append([1, 2, 3])
        guard case .failed(let error) = queue.flush(to: pair.a) else { return XCTFail("the peer is gone") }
        XCTAssertEqual(error, EPIPE)
    }
}
