// One JSON line per request, formatted on bytes into the loop's own buffer and handed to the log
// sink in batches: no dictionary, no String per field, no lock per line.
import GatewayCore
import GatewayJSON
import Glibc

/// One loop's access log. Lines of one loop keep their order; the batch goes to the sink at 32 KiB
/// or on the loop's next tick (100 ms), and the sink writes on its own queue, so a loop never
/// waits for the disk. A sink that falls 4 MiB behind drops lines and counts them.
///
/// Thread-safety: `@unchecked Sendable` because it lives on one loop's queue and is touched only there.
final class AccessLog: LoopTickable, @unchecked Sendable {
    static let batchBytes = 32 * 1024

    struct Entry {
        var client: String
        var method: String
        var path: String
        var status: Int
        var bytes: Int
        var durationNanos: UInt64
        var upstream: String?
        var upstreamNanos: UInt64?
        var requestID: String? = nil
        var traceID: String? = nil
    }

    private let sink: LogSink
    private var batch = JSONWriter(reservingCapacity: 2 * batchBytes)
    private var clock = LogTimestamp()

    init(sink: LogSink, loop: EventLoop) {
        self.sink = sink
        loop.register(self)
    }

    func record(_ e: Entry) {
        Self.append(e, time: &clock, to: &batch)
        if batch.bytes.count >= Self.batchBytes { flush() }
    }

    func tick(now: UInt64) { flush() }

    /// Hands the batch to the sink (also at shutdown, from the loop's queue).
    func flush() {
        guard !batch.bytes.isEmpty else { return }
        batch.bytes.withUnsafeBytes { sink.write(lines: $0) }
        batch.removeAll()
    }

    /// One line: `time`, `level`, `log`, `msg`, then the fields in name order (as the JSON log
    /// handler writes every other line). Status, bytes and milliseconds are numbers; everything
    /// a client sent is a string, escaped, whatever bytes it holds.
    static func append(_ e: Entry, time: inout LogTimestamp, to w: inout JSONWriter) {
        w.beginObject()
        w.key("time")
        w.raw(utf8: time.now())
        w.field("level", "info")
        w.field("log", "access")
        w.field("msg", "request")
        w.field("bytes", Int64(e.bytes))
        w.field("client", e.client)
        w.key("duration_ms")
        w.raw(millis(e.durationNanos))
        w.field("method", e.method)
        w.field("path", e.path)
        if let id = e.requestID { w.field("request_id", id) }
        w.field("status", Int64(e.status))
        if let id = e.traceID { w.field("trace_id", id) }
        if let upstream = e.upstream { w.field("upstream", upstream) }
        if let t = e.upstreamNanos {
            w.key("upstream_ms")
            w.raw(millis(t))
        }
        w.endObject()
        w.endLine()
    }

    /// Milliseconds with three decimals, without Foundation.
    static func millis(_ nanos: UInt64) -> String {
        let micros = nanos / 1000
        let frac = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}

/// The entry's memberwise initialiser stays: these are in an extension.
extension AccessLog.Entry {
    /// The line for a finished exchange. The path is the canonical target, the one the sign-in
    /// endpoints saw (so `/%61uth/...` too); theirs carry one-time secrets (code,
    /// oauth_verifier, state) in the query, which is kept out of logs.
    init(_ e: Exchange, upstream: String?, signInPrefix: String?, now: UInt64) {
        var path = e.target.map { String(decoding: $0.forwarded, as: UTF8.self) } ?? e.head.pathString
        if let signInPrefix, path.hasPrefix(signInPrefix), let query = path.firstIndex(of: "?") {
            path = String(path[..<query]) + "?…"
        }
        self.init(
            client: e.clientAddress, method: e.head.methodString, path: path, status: e.status, bytes: e.bytesSent,
            durationNanos: now &- e.start, upstream: e.responseHeadDone ? upstream : nil,
            upstreamNanos: e.upstreamHeadNanos,
            requestID: e.trace.map { String(decoding: $0.requestID, as: UTF8.self) },
            traceID: e.trace.map { String(decoding: $0.traceID, as: UTF8.self) })
    }

    /// A request refused before its head parsed: only who and the status are known.
    static func rejected(client: String, status: Int) -> Self {
        Self(
            client: client, method: "-", path: "-", status: status, bytes: 0, durationNanos: 0, upstream: nil,
            upstreamNanos: nil)
    }
}
