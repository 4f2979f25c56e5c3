// A test-only TLS server: accepts on 127.0.0.1, makes each socket non-blocking and drives a
// TLSStream with poll() on a thread of its own, the way an event loop would (one connection at a time).

import Foundation
import GatewayConfig
import GatewayTLS

final class TLSTestServer: @unchecked Sendable {
    enum Mode {
        /// Answers every request with a fixed 200 and `body`, then closes.
        case respond(body: String)
        /// Answers with a body of `count` pattern bytes, written from one 64 KiB buffer.
        case download(count: Int)
        /// Reads a `Content-Length` body through one 64 KiB buffer and answers with its size and sum.
        case upload
    }

    /// What the server saw of one connection.
    struct Record: Sendable {
        var verdict: PlaintextProbe.Verdict?
        var version: TLSProtocolVersion?
        var cipher: String?
        var alpn: String?
        var serverName: String?
        var resumed = false
        var failure: String?
    }

    let port: Int
    private let listenFD: Int32
    private let context: TLSServerContext
    private let mode: Mode
    private let lock = NSLock()
    private var stopping = false
    private var recorded: [Record] = []
    private let done = DispatchSemaphore(value: 0)

    init(context: TLSServerContext, mode: Mode = .respond(body: "hello over tls\n")) throws {
        self.context = context
        self.mode = mode
        (listenFD, port) = try TestSocket.listen()
        let thread = Thread { [self] in
            acceptLoop()
            done.signal()
        }
        thread.start()
    }

    var records: [Record] { lock.withLock { recorded } }

    /// The last connection's record (waits briefly: the server finishes after the client may).
    func lastRecord(after count: Int) -> Record? {
        for _ in 0..<200 {
            if let record = lock.withLock({ recorded.count > count ? recorded.last : nil }) { return record }
            usleep(10_000)
        }
        return nil
    }

    func stop() {
        lock.withLock { stopping = true }
        done.wait()
        close(listenFD)
    }

    private func acceptLoop() {
        while !lock.withLock({ stopping }) {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            TestSocket.makeNonBlocking(fd)
            let record = serve(fd)
            close(fd)
            lock.withLock { recorded.append(record) }
        }
    }

    private func serve(_ fd: Int32) -> Record {
        var record = Record()
        // What a TLS listener does first: peek, and answer a plaintext request in plaintext.
        let verdict = TestSocket.peekVerdict(fd)
        record.verdict = verdict
        if verdict == .plaintextHTTP {
            _ = PlaintextProbe.plaintextHTTPResponse.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            return record
        }
        guard verdict == .tlsClientHello, let stream = try? TLSStream(accepting: fd, context: context) else {
            record.failure = "not a ClientHello"
            return record
        }
        let driver = StreamDriver(stream: stream, fd: fd)
        if case .failed(let reason) = driver.drive({ stream.handshake() }) {
            record.failure = reason
            return record
        }
        record.version = stream.protocolVersion
        record.cipher = stream.cipher
        record.alpn = stream.alpnProtocol
        record.serverName = stream.serverName
        record.resumed = stream.isResumed
        do {
            try answer(driver)
        } catch {
            record.failure = "\(error)"
        }
        _ = driver.drive { stream.shutdown() }
        return record
    }

    private func answer(_ driver: StreamDriver) throws {
        var pending = try driver.readHead()
        switch mode {
        case .respond(let body):
            try driver.writeAll(Array(Self.head(contentLength: body.utf8.count).utf8) + Array(body.utf8))
        case .download(let count):
            try driver.writeAll(Array(Self.head(contentLength: count).utf8))
            let chunk = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var left = count
            while left > 0 {
                let n = min(left, chunk.count)
                try driver.writeAll(Array(chunk[..<n]))
                left -= n
            }
        case .upload:
            let length = Self.contentLength(of: pending.head) ?? 0
            var received = pending.rest.count
            var sum = pending.rest.reduce(UInt64(0)) { $0 &+ UInt64($1) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while received < length {
                let n = try buffer.withUnsafeMutableBytes { try driver.read(into: $0) }
                guard n > 0 else { throw CommandFailure(description: "upload ended after \(received) bytes") }
                sum = buffer[..<n].reduce(sum) { $0 &+ UInt64($1) }
                received += n
            }
            pending.rest = []
            let body = "received \(received) sum \(sum)\n"
            try driver.writeAll(Array(Self.head(contentLength: body.utf8.count).utf8) + Array(body.utf8))
        }
    }

    static func head(contentLength: Int) -> String {
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(contentLength)\r\nConnection: close\r\n\r\n"
    }

    private static func contentLength(of head: [UInt8]) -> Int? {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        guard let range = text.range(of: "content-length:") else { return nil }
        return Int(text[range.upperBound...].prefix { !$0.isNewline }.trimmingCharacters(in: .whitespaces))
    }
}
