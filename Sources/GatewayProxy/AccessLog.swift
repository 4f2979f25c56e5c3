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
        /// The target as it goes upstream (bytes: no String is made for an ASCII one).
        var path: [UInt8]
        var status: Int
        var bytes: Int
        var durationNanos: UInt64
        var upstream: String?
        var upstreamNanos: UInt64?
        var requestID: ArraySlice<UInt8>? = nil
        /// A slice of the request's `traceparent`: logged without a copy of its own.
        var traceID: ArraySlice<UInt8>? = nil
        /// The response was broken off after its head (`ProxyMachine.brokenOff`).
        var incomplete = false
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
        // The keys and the separators are laid out here, in pieces: every value follows a piece
        // that ends in `:`, so the writer puts no comma of its own anywhere on the line.
        w.piece(#"{"time":"#)
        w.raw(bytes: time.now())
        // The same on every line: written as one piece.
        w.piece(#","level":"info","log":"access","msg":"request","bytes":"#)
        w.number(Int64(e.bytes))
        w.piece(#","client":"#)
        w.string(e.client)
        w.piece(#","duration_ms":"#)
        w.thousandths(e.durationNanos / 1000)
        if e.incomplete { w.piece(#","incomplete":true"#) }
        w.piece(#","method":"#)
        w.string(e.method)
        w.piece(#","path":"#)
        w.string(bytes: e.path)
        if let id = e.requestID {
            w.piece(#","request_id":"#)
            w.string(bytes: id)
        }
        w.piece(#","status":"#)
        w.number(Int64(e.status))
        if let id = e.traceID {
            w.piece(#","trace_id":"#)
            w.string(bytes: id)
        }
        if let upstream = e.upstream {
            w.piece(#","upstream":"#)
            w.string(upstream)
        }
        if let t = e.upstreamNanos {
            w.piece(#","upstream_ms":"#)
            w.thousandths(t / 1000)
        }
        w.piece("}\n")
    }
}

/// The entry's memberwise initialiser stays: these are in an extension.
extension AccessLog.Entry {
    /// The line for a finished exchange. The path is the canonical target, the one the sign-in
    /// endpoints saw (so `/%61uth/...` too); theirs carry one-time secrets (code,
    /// oauth_verifier, state) in the query, which is kept out of logs.
    init(_ e: Exchange, upstream: String?, signInPrefix: String?, now: UInt64) {
        var path = e.target?.forwarded ?? Array(e.head.pathString.utf8)
        if let signInPrefix, path.starts(with: signInPrefix.utf8), let query = path.firstIndex(of: UInt8(ascii: "?")) {
            path = Array(path[..<query]) + Array("?…".utf8)
        }
        self.init(
            client: e.clientAddress, method: e.head.methodString, path: path, status: e.status, bytes: e.bytesSent,
            durationNanos: now &- e.start, upstream: e.responseHeadDone ? upstream : nil,
            upstreamNanos: e.upstreamHeadNanos,
            requestID: e.trace?.requestID, traceID: e.trace?.traceID, incomplete: e.proxy.brokenOff)
    }

    /// A request refused before its head parsed: only who and the status are known.
    static func rejected(client: String, status: Int) -> Self {
        Self(
            client: client, method: "-", path: [UInt8(ascii: "-")], status: status, bytes: 0, durationNanos: 0, upstream: nil,
            upstreamNanos: nil)
    }
}
