// One access-log line per exchange, and one for a request rejected before it had a head.
import GatewayCore

extension ClientConnection {
    func logAccess() {
        guard let e = exchange, shared.accessLog != nil || context.metrics != nil else { return }
        let now = MonotonicClock.now()
        context.metrics?.record(e, now: now, context: context)
        guard let log = shared.accessLog else { return }
        let upstream = e.route.map { shared.upstreams[$0.upstreamIndex].serverNames[e.serverIndex] }
        log.record(AccessLog.Entry(e, upstream: upstream, signInPrefix: context.endpoint?.logRedactedPrefix, now: now))
    }

    func logRejected(status: Int) {
        context.metrics?.recordRejected(status: status)
        shared.accessLog?.record(AccessLog.Entry.rejected(client: peerHost, status: status))
    }
}
