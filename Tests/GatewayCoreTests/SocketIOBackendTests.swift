// Both event backends deliver read and write readiness for a real socket on the loop's queue,
// and stop when interest is withdrawn or the socket is closed.
import Dispatch
import Glibc
import Synchronization
import XCTest

@testable import GatewayCore

final class SocketIOBackendTests: XCTestCase {
    /// Counts the events a socket's handlers see; touched only on the loop's queue.
    private final class Events: @unchecked Sendable {
        var reads = 0
        var writes = 0
        var received: [UInt8] = []
        /// Fulfilled by any read event once interest is off; the test waits for it not to come.
        var unexpectedRead: XCTestExpectation?
    }

    private func onLoop<T>(_ loop: EventLoop, _ work: () -> T) -> T { loop.queue.sync(execute: work) }

    private func exercise(_ backend: EventBackend) throws {
        let pair = try SocketPair()
        defer { Glibc.close(pair.a) }
        let loop = EventLoop(index: 0, backend: backend)
        let events = Events()
        let readable = expectation(description: "\(backend): readable")
        readable.assertForOverFulfill = false
        let writable = expectation(description: "\(backend): writable")
        writable.assertForOverFulfill = false
        var io: SocketIO!
        onLoop(loop) {
            io = loop.makeSocketIO(
                fd: pair.b,
                onReadable: {
                    events.reads += 1
                    events.unexpectedRead?.fulfill()
                    var chunk = [UInt8](repeating: 0, count: 256)
                    let n = chunk.withUnsafeMutableBytes { Glibc.read(pair.b, $0.baseAddress, $0.count) }
                    if n > 0 { events.received += chunk[..<n] }
                    readable.fulfill()
                },
                onWritable: {
                    events.writes += 1
                    io.wantWrite(false)
                    writable.fulfill()
                })
            io.wantRead(true)
            io.wantWrite(true)
        }
        XCTAssertEqual(pair.write(Array("ping".utf8), to: pair.a), 4)
        wait(for: [readable, writable], timeout: 5)
        onLoop(loop) {
            XCTAssertEqual(events.received, Array("ping".utf8))
            io.wantRead(false)
        }
        // With read interest off, new bytes raise no event.
        let unexpected = expectation(description: "\(backend): no read event without interest")
        unexpected.isInverted = true
        onLoop(loop) { events.unexpectedRead = unexpected }
        XCTAssertEqual(pair.write(Array("more".utf8), to: pair.a), 4)
        wait(for: [unexpected], timeout: 0.3)
        XCTAssertEqual(onLoop(loop) { events.writes }, 1, "\(backend): write interest was withdrawn")
        onLoop(loop) {
            io.close()
            XCTAssertTrue(io.isClosed)
        }
    }

    func testEpollBackendDeliversReadinessAndHonoursInterest() throws {
        try exercise(.epoll)
    }

    func testDispatchBackendDeliversReadinessAndHonoursInterest() throws {
        try exercise(.dispatch)
    }
}
