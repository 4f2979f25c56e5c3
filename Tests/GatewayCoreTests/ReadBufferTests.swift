// The receive buffer: reads land at the tail, parsing consumes from the head, space is reused.
import Glibc
import XCTest

@testable import GatewayCore

final class ReadBufferTests: XCTestCase {
    func testReadsConsumesAndReportsEndOfStream() throws {
        let pair = try SocketPair()
        defer { Glibc.close(pair.b) }
        let buffer = ReadBuffer(capacity: 16)
        guard case .wouldBlock = buffer.read(from: pair.b, maxCapacity: 64) else { return XCTFail("nothing sent yet") }
        XCTAssertEqual(pair.write(Array("GET / HTTP/1.1\r\n".utf8), to: pair.a), 16)
        guard case .bytes(16) = buffer.read(from: pair.b, maxCapacity: 64) else { return XCTFail("16 bytes") }
        XCTAssertEqual(Array(buffer.readable), Array("GET / HTTP/1.1\r\n".utf8))
        buffer.consume(4)
        XCTAssertEqual(Array(buffer.readable), Array("/ HTTP/1.1\r\n".utf8))
        Glibc.close(pair.a)
        guard case .eof = buffer.read(from: pair.b, maxCapacity: 64) else { return XCTFail("peer closed") }
    }

    func testGrowsOnlyUpToTheLimitThenReportsAFullBuffer() throws {
        let pair = try SocketPair()
        defer { pair.closeBoth() }
        let buffer = ReadBuffer(capacity: 8)
        XCTAssertEqual(pair.write([UInt8](repeating: 0x61, count: 40), to: pair.a), 40)
        var total = 0
        while case .bytes(let n) = buffer.read(from: pair.b, maxCapacity: 32), n > 0 { total += n }
        XCTAssertEqual(total, 32, "stops at maxCapacity")
        XCTAssertEqual(buffer.capacity, 32)
        guard case .bytes(0) = buffer.read(from: pair.b, maxCapacity: 32) else { return XCTFail("full: 0, not a read") }
        buffer.consume(30)
        // Consumed space at the head is compacted and reused without growing.
        guard case .bytes(8) = buffer.read(from: pair.b, maxCapacity: 32) else { return XCTFail("the last 8 bytes") }
        XCTAssertEqual(buffer.count, 10)
        XCTAssertEqual(buffer.capacity, 32)
    }

    func testAppendKeepsOrderAcrossCompaction() {
        let buffer = ReadBuffer(capacity: 4)
        let first = Array("abcd".utf8)
        first.withUnsafeBytes { buffer.append($0) }
        buffer.consume(3)
        Array("efghij".utf8).withUnsafeBytes { buffer.append($0) }
        XCTAssertEqual(String(decoding: buffer.readable, as: UTF8.self), "defghij")
        buffer.consume(7)
        XCTAssertTrue(buffer.isEmpty)
    }
}
