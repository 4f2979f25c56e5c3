// Drives a TLSStream over a non-blocking socket with poll(): what a loop's read and write
// sources do, in a blocking loop a test can follow.

import Foundation
import GatewayTLS

struct StreamDriver {
    let stream: TLSStream
    let fd: Int32
    /// Each wait for the socket gives up after this long.
    var timeoutMilliseconds: Int32 = 10_000

    /// Calls `operation` until it stops asking for the socket, waiting for what it asks for.
    func drive(_ operation: () -> TLSIOResult) -> TLSIOResult {
        while true {
            let result = operation()
            let events: Int32
            switch result {
            case .wantRead: events = POLLIN
            case .wantWrite: events = POLLOUT
            default: return result
            }
            var pfd = pollfd(fd: fd, events: Int16(events), revents: 0)
            if poll(&pfd, 1, timeoutMilliseconds) <= 0 { return .failed("timed out waiting for the socket") }
        }
    }

    /// Bytes read (0 at the end of the stream).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        switch drive({ stream.read(into: buffer) }) {
        case .bytes(let n): return n
        case .closed: return 0
        case .failed(let reason): throw CommandFailure(description: "read failed: \(reason)")
        case .wantRead, .wantWrite: preconditionFailure("drive returned a want")
        }
    }

    func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                drive { stream.write(UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            }
            switch result {
            case .bytes(let n): offset += n
            case .closed: throw CommandFailure(description: "peer closed after \(offset) bytes")
            case .failed(let reason): throw CommandFailure(description: "write failed: \(reason)")
            case .wantRead, .wantWrite: preconditionFailure("drive returned a want")
            }
        }
    }

    /// Reads up to the end of a head: the head and whatever came after it.
    func readHead() throws -> (head: [UInt8], rest: [UInt8]) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = bytes.firstRange(of: end) {
                return (Array(bytes[..<range.upperBound]), Array(bytes[range.upperBound...]))
            }
            let n = try buffer.withUnsafeMutableBytes { try read(into: $0) }
            guard n > 0 else { throw CommandFailure(description: "closed before a full head") }
            bytes += buffer[..<n]
        }
    }

    /// Reads until the peer ends the stream.
    func readToEnd() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try read(into: $0) }
            if n == 0 { return bytes }
            bytes += buffer[..<n]
        }
    }
}

/// Loopback sockets for the tests.
enum TestSocket {
    /// A listening socket on 127.0.0.1 and the port the system chose.
    static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure(description: "socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && Glibc.listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw CommandFailure(description: "bind/listen: \(errno)") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A non-blocking socket connected to 127.0.0.1:port.
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            throw CommandFailure(description: "connect: \(errno)")
        }
        makeNonBlocking(fd)
        return fd
    }

    static func makeNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Peeks at the first bytes until PlaintextProbe can tell.
    static func peekVerdict(_ fd: Int32) -> PlaintextProbe.Verdict {
        var buffer = [UInt8](repeating: 0, count: 32)
        for _ in 0..<500 {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 10_000) > 0 else { return .unknown }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_PEEK)) }
            if n <= 0 { return .unknown }
            let verdict = PlaintextProbe.classify(Array(buffer[..<n]))
            if verdict != .needMore || n == buffer.count { return verdict }
            usleep(2_000)
        }
        return .unknown
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
