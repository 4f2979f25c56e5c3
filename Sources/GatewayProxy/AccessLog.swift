// One JSON line per request, through swift-log.
import Logging

struct AccessLog: Sendable {
    let logger: Logger

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

    func record(_ e: Entry) {
        // Sized for every field at once: growing the dictionary mid-line rehashes it, per request.
        var metadata = Logger.Metadata(minimumCapacity: 10)
        metadata["client"] = .string(e.client)
        metadata["method"] = .string(e.method)
        metadata["path"] = .string(e.path)
        metadata["status"] = .string(String(e.status))
        metadata["bytes"] = .string(String(e.bytes))
        metadata["duration_ms"] = .string(Self.millis(e.durationNanos))
        if let upstream = e.upstream { metadata["upstream"] = .string(upstream) }
        if let t = e.upstreamNanos { metadata["upstream_ms"] = .string(Self.millis(t)) }
        if let id = e.requestID { metadata["request_id"] = .string(id) }
        if let id = e.traceID { metadata["trace_id"] = .string(id) }
        logger.info("request", metadata: metadata)
    }

    /// Milliseconds with three decimals, without Foundation.
    static func millis(_ nanos: UInt64) -> String {
        let micros = nanos / 1000
        let frac = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}

/// The memberwise initialiser stays: these are in an extension.
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
