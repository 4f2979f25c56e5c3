// The access log on a file system that fills up and then has room again (a 64 KiB tmpfs):
// every request is answered, the lost lines are counted, and writing resumes with whole lines.
// (AccessLogFileTests covers /dev/full, where every write fails and none ever succeeds again.)
import Foundation
import GatewayTestSupport
import Glibc
import XCTest

final class LogDiskFaultTests: IntegrationTestCase {
    private func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Writes `path` until the file system has no room left; returns the bytes written.
    private func fill(_ path: String) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        let block = [UInt8](repeating: 0x2E, count: 4096)
        var total = 0
        while total < 1 << 24 {
            let n = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            total += n
        }
        return total
    }

    func testAFullDiskDropsAndCountsLinesAndWritingResumesOnceThereIsRoom() throws {
        let mountPoint = directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mountPoint.path]) == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root); the /dev/full case is in AccessLogFileTests")
        }
        // Lazy: detached even while a stopped gateway's descriptor has not closed yet.
        addTeardownBlock { [self] in _ = run("/bin/umount", ["-l", mountPoint.path]) }
        let log = mountPoint.appendingPathComponent("access.log").path
        let upstream = try startUpstream()
        let gateway = try startGateway(
            GatewayProcess.publicConfig(upstreamPort: upstream.port, extra: "metrics_listen 127.0.0.1:0;")
                .replacingOccurrences(of: "access_log stdout;", with: "access_log \(log);"))
        let metrics = try gateway.metricsPort()
        let client = try gateway.client()
        XCTAssertEqual(try client.request("GET", "/before").status, 200)
        XCTAssertTrue(waitUntil(timeout: 10) { lines(log).contains { $0.contains("/before") } })

        let filler = mountPoint.appendingPathComponent("filler").path
        let filled = fill(filler)
        XCTAssertGreaterThan(filled, 0)
        let series = "gateway_log_lines_dropped_total{log=\"access\"}"
        var statuses: [Int] = []
        for i in 0..<300 { statuses.append(try client.request("GET", "/full/\(i)").status) }
        XCTAssertEqual(Set(statuses), [200], "every request is answered while the disk is full")
        var dropped = 0.0
        XCTAssertTrue(
            try waitUntil(timeout: 10, interval: 0.1) {
                dropped = try GatewayProcess.scrape(metrics).value(series) ?? 0
                return dropped >= 250
            }, "lines dropped: \(dropped)")
        let warning = try gateway.child.waitFor("the dropped-lines warning", timeout: 20, in: { gateway.child.stderr }) {
            $0.split(separator: "\n").first { $0.contains("\"msg\":\"log lines dropped\"") }
        }
        XCTAssertTrue(warning.contains("No space left on device"), String(warning))

        // Room again: the next lines are written, whole, and no more are lost.
        XCTAssertEqual(unlink(filler), 0)
        let droppedBefore = try GatewayProcess.scrape(metrics).value(series) ?? 0
        for i in 0..<20 { XCTAssertEqual(try client.request("GET", "/room/\(i)").status, 200) }
        XCTAssertTrue(
            waitUntil(timeout: 10, interval: 0.05) { lines(log).filter { $0.contains("/room/") }.count == 20 },
            "lines are written again once there is room: \(lines(log).suffix(3))")
        XCTAssertEqual(try GatewayProcess.scrape(metrics).value(series) ?? 0, droppedBefore, "lines lost with room")
        let written = lines(log)
        let full = written.filter { $0.contains("/full/") }.count
        print(
            "access log on a full 64 KiB tmpfs: 300 requests answered, \(Int(droppedBefore)) lines dropped, "
                + "\(full) written before the disk filled; 20 of 20 written once there was room")
        for line in written where line.contains("/room/") {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object, "a line ran into the fragment a failed write left: \(line.prefix(200))")
        }
        XCTAssertTrue(gateway.child.isRunning)
        gateway.stop()
    }

    private func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
