// 64 MiB each way through TLSStream, with the server's memory bounded by its one 64 KiB buffer.

import Foundation
import GatewayTLS
import XCTest

final class TLSTransferTests: TLSTestCase {
    private static let size = 64 * 1024 * 1024

    private func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    func testDownloadsAndUploads64MiBWithBoundedMemory() throws {
        let before = peakResidentBytes()
        let download = try startServer(try twoCertificateContext(), mode: .download(count: Self.size))
        let got = try curl(download, ["-o", "/dev/null", "-w", "%{size_download} %{http_code}"])
        XCTAssertEqual(got.output, "\(Self.size) 200")

        let file = certs.directory + "/upload.bin"
        let pattern = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
        FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
        for _ in 0..<(Self.size / pattern.count) { handle.write(Data(pattern)) }
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let sum = UInt64(Self.size / pattern.count) * pattern.reduce(UInt64(0)) { $0 + UInt64($1) }
        let upload = try startServer(try twoCertificateContext(), mode: .upload)
        let sent = try curl(
            upload, ["--data-binary", "@" + file, "-H", "Content-Type: application/octet-stream", "-H", "Expect:"])
        XCTAssertEqual(sent.output, "received \(Self.size) sum \(sum)\n")
        // Nothing held the 64 MiB: the process's peak grew by far less than the transfer.
        XCTAssertLessThan(peakResidentBytes() - before, 32 * 1024 * 1024)
    }
}
