// A connection on the `metrics_listen` port: answers `GET /metrics` and nothing else, then closes.
import GatewayCore
import GatewayHTTP

/// One request per connection (Prometheus reconnects cheaply; a scrape is once per interval),
/// `Connection: close`, and a 10 s limit on the whole connection. Anything but `GET` or `HEAD`
/// of `/metrics` gets 404 or 405; the public listeners never answer `/metrics` at all.
///
/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only
/// there; the scrape's completion is delivered on that queue too.
final class MetricsConnection: LoopTickable, @unchecked Sendable {
    typealias Scrape = (_ completion: @escaping @Sendable ([UInt8]) -> Void) -> Void

    private let loop: EventLoop
    private var io: SocketIO!
    private let input = ReadBuffer(capacity: 8 * 1024)
    private let output = WriteQueue()
    private var parser = HTTPRequestParser(maxHeadSize: 8 * 1024)
    private let scrape: Scrape
    private let deadline: UInt64
    private var answered = false
    private var closed = false

    static let timeout: UInt64 = 10_000_000_000
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    init(loop: EventLoop, fd: Int32, scrape: @escaping Scrape) {
        self.loop = loop
        self.scrape = scrape
        deadline = MonotonicClock.now() &+ Self.timeout
        io = loop.makeSocketIO(
            fd: fd, onReadable: { [unowned self] in self.onReadable() },
            onWritable: { [unowned self] in self.flush() })
        loop.register(self)
        io.wantRead(true)
    }

    private func onReadable() {
        switch input.read(from: io.fd, maxCapacity: 8 * 1024) {
        case .bytes:
            guard !answered else { return input.removeAll() }
            switch parser.parse(input.readable) {
            case .needMore: return
            case .failure(let error): respond(LocalResponse.error(error.status, for: nil), isHead: false)
            case .complete(let head, _): answer(head)
            }
        case .wouldBlock: return
        case .eof, .failed: close()
        }
    }

    private func answer(_ head: HTTPRequestHead) {
        answered = true
        let path = head.pathString.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard path == "/metrics" else { return respond(LocalResponse.error(404, for: head), isHead: false) }
        let isHead = head.methodKind == .head
        guard head.methodKind == .get || isHead else {
            return respond(
                LocalResponse(status: 405, headers: [("Allow", "GET, HEAD")], body: Array("Method Not Allowed\n".utf8)),
                isHead: false)
        }
        scrape { [self] body in
            respond(
                LocalResponse(status: 200, headers: [("Content-Type", Self.contentType)], body: body), isHead: isHead)
        }
    }

    private func respond(_ response: LocalResponse, isHead: Bool) {
        answered = true
        guard !closed else { return }
        output.append(response.serialized(keepAlive: false, isHead: isHead))
        flush()
    }

    private func flush() {
        guard !closed else { return }
        switch output.flush(to: io.fd) {
        case .drained:
            io.wantWrite(false)
            if answered { close() }
        case .pending: io.wantWrite(true)
        case .failed: close()
        }
    }

    func tick(now: UInt64) {
        if now >= deadline { close() }
    }

    private func close() {
        guard !closed else { return }
        closed = true
        io.close()
        loop.unregister(self)
    }
}
