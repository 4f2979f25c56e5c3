// LogSink on real files: a full disk drops and counts lines, reopen follows a rotated file.
import Foundation
import Glibc
import XCTest

@testable import GatewayCore

final class LogSinkTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("logsink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ sink: LogSink, batch lines: [String]) {
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        bytes.withUnsafeBytes { sink.write(lines: $0) }
    }

    private func contents(_ name: String) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    func testAFullDiskDropsAndCountsEveryLineAndWritingGoesOn() throws {
        // /dev/full answers every write with ENOSPC, like a full file system.
        let sink = try LogSink.file("/dev/full")
        write(sink, batch: ["a", "b", "c"])
        sink.write("d")
        sink.flushNow()
        XCTAssertEqual(sink.droppedLines, 4)
        XCTAssertEqual(sink.failingErrno, ENOSPC)
        write(sink, batch: ["e", "f"])
        sink.flushNow()
        XCTAssertEqual(sink.droppedLines, 6)
    }

    func testFlushesReuseTheQueuesStorageAndItsCapacityStaysPut() throws {
        // What two loops' batches add up to when the sink's queue is a little late: past glibc's
        // mmap threshold, where a gateway under load saw the old flush map a fresh buffer, a
        // page larger each time, on every flush.
        let sink = try LogSink.file("/dev/null")
        let batch = [UInt8](repeating: UInt8(ascii: "a"), count: 200 * 1024 - 1) + [0x0A]
        var capacities: [Int] = []
        for _ in 0..<300 {
            batch.withUnsafeBytes { sink.write(lines: $0) }
            sink.flushNow()
            capacities.append(sink.bufferCapacity)
        }
        XCTAssertEqual(capacities[10], capacities.last, "the buffers grew from \(capacities[10]) to \(capacities.last!) bytes")
        XCTAssertLessThanOrEqual(capacities.last!, 2 * LogSink.spareCapacity)
        XCTAssertGreaterThanOrEqual(capacities.last!, batch.count, "the drained buffer is kept for reuse")
        XCTAssertEqual(sink.droppedLines, 0)
    }

    func testABurstLargerThanTheSpareIsNotKeptAfterItIsWritten() throws {
        let sink = try LogSink.file("/dev/null")
        let burst = [UInt8](repeating: UInt8(ascii: "b"), count: 3 * LogSink.spareCapacity - 1) + [0x0A]
        burst.withUnsafeBytes { sink.write(lines: $0) }
        sink.flushNow()
        sink.write("after")
        sink.flushNow()
        XCTAssertLessThan(sink.bufferCapacity, 2 * LogSink.spareCapacity)
        XCTAssertEqual(sink.droppedLines, 0)
    }

    func testLinesOnAWorkingFileAreNotCountedAndTheFailureClears() throws {
        let path = directory.appendingPathComponent("access.log").path
        let sink = try LogSink.file(path)
        write(sink, batch: ["one", "two"])
        sink.write("three")
        sink.flushNow()
        XCTAssertEqual(try contents("access.log"), ["one", "two", "three"])
        XCTAssertEqual(sink.droppedLines, 0)
        XCTAssertEqual(sink.failingErrno, 0)
    }

    func testReopenWritesOnIntoANewFileUnderTheOldName() throws {
        let path = directory.appendingPathComponent("access.log").path
        let sink = try LogSink.file(path)
        write(sink, batch: ["before-1", "before-2"])
        sink.flushNow()
        // logrotate moves the file; lines queued before the reopen still belong to the old one.
        XCTAssertEqual(rename(path, path + ".1"), 0)
        sink.write("queued-before-reopen")
        try sink.reopen()
        write(sink, batch: ["after-1"])
        sink.write("after-2")
        sink.flushNow()
        XCTAssertEqual(try contents("access.log.1"), ["before-1", "before-2", "queued-before-reopen"])
        XCTAssertEqual(try contents("access.log"), ["after-1", "after-2"])
    }

    func testAReopenThatCannotOpenKeepsTheOldFile() throws {
        let sub = directory.appendingPathComponent("gone")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let path = sub.appendingPathComponent("access.log").path
        let sink = try LogSink.file(path)
        XCTAssertEqual(rename(path, directory.appendingPathComponent("kept.log").path), 0)
        try FileManager.default.removeItem(at: sub)
        XCTAssertThrowsError(try sink.reopen())
        sink.write("still-written")
        sink.flushNow()
        XCTAssertEqual(try contents("kept.log"), ["still-written"])
        XCTAssertEqual(sink.droppedLines, 0)
    }

    func testStandardStreamsHaveNothingToReopen() throws {
        XCTAssertNil(LogSink.standardError.path)
        XCTAssertNoThrow(try LogSink.standardError.reopen())
    }

    func testLineCountCountsNewlines() {
        let bytes = Array("a\nbb\n\ncut".utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { LogSink.lineCount($0) }, 3)
    }
}
