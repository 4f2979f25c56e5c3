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
    }

    func record(_ e: Entry) {
        var metadata: Logger.Metadata = [
            "client": .string(e.client),
            "method": .string(e.method),
            "path": .string(e.path),
            "status": .string(String(e.status)),
            "bytes": .string(String(e.bytes)),
            "duration_ms": .string(Self.millis(e.durationNanos)),
        ]
        if let upstream = e.upstream { metadata["upstream"] = .string(upstream) }
        if let t = e.upstreamNanos { metadata["upstream_ms"] = .string(Self.millis(t)) }
        logger.info("request", metadata: metadata)
    }

    /// Milliseconds with three decimals, without Foundation.
    static func millis(_ nanos: UInt64) -> String {
        let micros = nanos / 1000
        let frac = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}
