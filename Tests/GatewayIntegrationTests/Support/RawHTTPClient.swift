// A blocking HTTP/1.1 client over a raw socket, for sending exact bytes and reading exact answers.
import Foundation
import GatewayHTTP
import GatewayTestSupport
import Glibc

struct TestResponse {
    var head: HTTPResponseHead
    var body: [UInt8]
    var status: Int { head.status }
    func header(_ name: String) -> String? {
        let lower = name.lowercased()
        for i in head.headers.fields.indices
        where String(decoding: head.headers.name(at: i), as: UTF8.self).lowercased() == lower {
            return String(decoding: head.headers.value(at: i), as: UTF8.self)
        }
        return nil
    }
    var headerNames: [String] {
        head.headers.fields.indices.map { String(decoding: head.headers.name(at: $0), as: UTF8.self).lowercased() }
    }
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text)")
        }
        return object
    }
}

final class RawHTTPClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// `receiveBuffer` sets SO_RCVBUF before connecting (a small window that stays small).
    init(port: Int, timeout: Int = 20, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes; false at EOF.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return false }
        if n < 0 {
            if errno == ECONNRESET { return false }
            throw TestFailure("recv failed: errno \(errno)")
        }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Reads one response. `onBody` (if given) receives the body in pieces instead of collecting it.
    func readResponse(method: HTTPMethodKind = .get, onBody: ((UnsafeRawBufferPointer) -> Void)? = nil) throws -> TestResponse {
        var parser = HTTPResponseParser()
        while true {
            let result = buffer.withUnsafeBytes { parser.parse($0, requestMethod: method) }
            switch result {
            case .needMore:
                guard try fill() else { throw TestFailure("connection closed before a response head; got \(String(decoding: buffer, as: UTF8.self))") }
            case .failure(let error):
                throw TestFailure("bad response head: \(error): \(String(decoding: buffer, as: UTF8.self))")
            case .complete(let head, let consumed):
                buffer.removeFirst(consumed)
                if head.status < 200 && head.status != 101 {
                    parser.reset()
                    continue
                }
                var decoder = HTTPBodyDecoder(framing: head.framing)
                var body: [UInt8] = []
                while !decoder.isComplete {
                    if !buffer.isEmpty {
                        let used = try buffer.withUnsafeBytes { raw in
                            try decoder.decode(raw) { piece in
                                if let onBody { onBody(piece) } else { body.append(contentsOf: piece) }
                            }
                        }
                        buffer.removeFirst(used)
                        if decoder.isComplete { break }
                    }
                    if try !fill() {
                        guard decoder.finishAtEOF() else { throw TestFailure("body truncated") }
                        break
                    }
                }
                return TestResponse(head: head, body: body)
            }
        }
    }

    func readResponseAfterSending(_ request: String, onBody: @escaping (UnsafeRawBufferPointer) -> Void) throws -> TestResponse {
        try send(request)
        return try readResponse(onBody: onBody)
    }

    /// Reads everything until the peer closes (or the timeout), returning the raw bytes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// True when the peer has closed: a read returns EOF (after any remaining bytes).
    func isClosedByPeer() -> Bool {
        (try? readToEnd()) != nil
    }

    /// True when the peer closed with a FIN after its last bytes; false on a reset (which can
    /// destroy an answer still in flight), a timeout, or bytes left to read.
    func isClosedCleanly() -> Bool {
        var byte: UInt8 = 0
        return buffer.isEmpty && recv(fd, &byte, 1, 0) == 0
    }

    /// A small send buffer (no autotuning), so that a large request blocks the writer.
    func limitSendBuffer(_ bytes: Int32) {
        var size = bytes
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    func request(
        _ method: String = "GET", _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        host: String = "gateway.test"
    ) throws -> TestResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        try send(Array(text.utf8) + (body ?? []))
        return try readResponse(method: method == "HEAD" ? .head : .get)
    }
}
