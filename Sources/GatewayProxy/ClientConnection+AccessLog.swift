// One access-log line per exchange, and one for a request rejected before it had a head.
import GatewayCore

extension ClientConnection {

    func logAccess() {
        guard let log = shared.accessLog, let e = exchange else { return }
        let now = MonotonicClock.now()
        let upstreamName = e.route.map { r in
            shared.upstreams[r.upstreamIndex].serverNames[e.serverIndex]
        }
        var path = e.head.pathString
        if let prefix = context.signIn?.prefix, path.hasPrefix(prefix), let query = path.firstIndex(of: "?") {
            // Sign-in URLs carry one-time secrets (code, oauth_verifier, state): keep them out of logs.
            path = String(path[..<query]) + "?…"
        }
        log.record(
            AccessLog.Entry(
                client: peerHost, method: e.head.methodString, path: path, status: e.status,
                bytes: e.bytesSent, durationNanos: now &- e.start, upstream: e.responseHeadDone ? upstreamName : nil,
                upstreamNanos: e.upstreamHeadNanos))
    }

    func logRejected(status: Int) {
        guard let log = shared.accessLog else { return }
        log.record(
            AccessLog.Entry(
                client: peerHost, method: "-", path: "-", status: status, bytes: 0, durationNanos: 0, upstream: nil,
                upstreamNanos: nil))
    }
}
