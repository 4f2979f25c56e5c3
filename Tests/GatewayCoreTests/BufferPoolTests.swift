// Pooled buffers: taken with the first bytes, given back only while empty, bounded pool.
import Glibc
import XCTest

@testable import GatewayCore

final class BufferPoolTests: XCTestCase {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testAReadBufferTakesABlockWithItsFirstBytesAndGivesItBackWhenEmpty() throws {
        let pool = BufferPool(blockSize: 1024, limit: 4)
        let buffer = ReadBuffer(capacity: 1024, pool: pool)
        XCTAssertFalse(buffer.holdsStorage)
        XCTAssertTrue(buffer.readable.isEmpty)
        let pair = try SocketPair()
        defer { pair.closeBoth() }
        XCTAssertEqual(pair.write(bytes("GET / HTTP/1.1\r\n"), to: pair.b), 16)
        guard case .bytes(16) = buffer.read(from: pair.a, maxCapacity: 4096) else { return XCTFail("no read") }
        XCTAssertTrue(buffer.holdsStorage)
        // Not while bytes wait.
        buffer.releaseStorage()
        XCTAssertTrue(buffer.holdsStorage)
        XCTAssertEqual(Array(buffer.readable), bytes("GET / HTTP/1.1\r\n"))
        buffer.consume(16)
        buffer.releaseStorage()
        XCTAssertFalse(buffer.holdsStorage)
        XCTAssertEqual(pool.freeCount, 1)
        // The next bytes take the block again, and they read back intact.
        buffer.append(UnsafeRawBufferPointer(start: bytes("next"), count: 4))
        XCTAssertEqual(pool.freeCount, 0)
        XCTAssertEqual(Array(buffer.readable), bytes("next"))
    }

    func testAGrownBufferIsFreedNotPooledAndStartsAgainAtTheBlockSize() {
        let pool = BufferPool(blockSize: 64, limit: 4)
        let buffer = ReadBuffer(capacity: 64, pool: pool)
        let big = [UInt8](repeating: 0x61, count: 200)
        big.withUnsafeBytes { buffer.append($0) }
        XCTAssertGreaterThanOrEqual(buffer.capacity, 200)
        // The block it grew out of went back to the pool.
        XCTAssertEqual(pool.freeCount, 1)
        XCTAssertEqual(Array(buffer.readable), big)
        buffer.consume(200)
        buffer.releaseStorage()
        XCTAssertEqual(pool.freeCount, 1)
        XCTAssertEqual(buffer.capacity, 64)
    }

    func testAWriteQueueHoldsABlockOnlyWhileBytesWait() throws {
        let pool = BufferPool(blockSize: 1024, limit: 4)
        let queue = WriteQueue(capacity: 1024, pool: pool)
        XCTAssertFalse(queue.holdsStorage)
        queue.append(bytes("HTTP/1.1 200 OK\r\n\r\n"))
        XCTAssertTrue(queue.holdsStorage)
        queue.releaseStorage()
        XCTAssertTrue(queue.holdsStorage, "bytes are still queued")
        let pair = try SocketPair()
        defer { pair.closeBoth() }
        XCTAssertEqual(queue.flush(to: pair.a), .drained)
        queue.releaseStorage()
        XCTAssertFalse(queue.holdsStorage)
        XCTAssertEqual(pool.freeCount, 1)
        XCTAssertEqual(pair.readAvailable(pair.b), bytes("HTTP/1.1 200 OK\r\n\r\n"))
    }

    func testThePoolKeepsAtMostItsLimitAndShrinks() {
        let pool = BufferPool(blockSize: 32, limit: 3)
        let blocks = (0..<5).map { _ in pool.take() }
        for block in blocks { pool.give(block) }
        XCTAssertEqual(pool.freeCount, 3)
        pool.shrink(to: 1)
        XCTAssertEqual(pool.freeCount, 1)
        _ = pool.take()
        XCTAssertEqual(pool.freeCount, 0)
    }

    func testWithoutAPoolBuffersKeepTheirStorage() {
        let buffer = ReadBuffer(capacity: 64)
        let queue = WriteQueue(capacity: 64)
        XCTAssertTrue(buffer.holdsStorage)
        XCTAssertTrue(queue.holdsStorage)
        buffer.releaseStorage()
        queue.releaseStorage()
        XCTAssertTrue(buffer.holdsStorage)
        XCTAssertTrue(queue.holdsStorage)
    }
}
