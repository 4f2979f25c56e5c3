// A connected pair of non-blocking Unix stream sockets: real kernel buffers, no network.
import Glibc
import XCTest

/// A socket call failed: the test fails (it is never skipped).
struct SocketPairError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "socketpair failed: errno \(errno)" }
}

struct SocketPair {
    let a: Int32
    let b: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw SocketPairError(errno: errno)
        }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        a = fds[0]
        b = fds[1]
    }

    func write(_ bytes: [UInt8], to fd: Int32) -> Int {
        bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// Reads whatever is there now (non-blocking), up to `limit` bytes.
    func readAvailable(_ fd: Int32, limit: Int = 1 << 20) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[..<n])
        }
        return out
    }

    func closeBoth() {
        Glibc.close(a)
        Glibc.close(b)
    }
}
