// What one finished exchange adds to its loop's metrics: the request, its duration, its upstream.
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayMetrics

extension LoopMetrics {
    /// Called once per exchange, where its access-log line is written. Only plain values go
    /// into the loop's batch; labels are made at flush.
    func record(_ e: Exchange, now: UInt64, context: LoopContext) {
        let location: Int
        let labels = context.labels
        if let route = e.route {
            location = labels?.locations[route.locationIndex] ?? shared.noLocationIndex
        } else if let target = e.target {
            // Answered before proxying: a sign-in endpoint, the gate, or no location at all.
            if let endpoint = context.endpoint, endpoint.claims(target.forwarded) {
                location = Self.authLocationIndex(shared)
            } else if let route = context.shared.router.match(target.matchPath) {
                location = labels?.locations[route.locationIndex] ?? shared.noLocationIndex
            } else {
                location = shared.noLocationIndex
            }
        } else {
            location = shared.noLocationIndex
        }
        let upstreamNanos = e.upstreamHeadNanos
        let upstream = upstreamNanos == nil ? -1 : (e.route.flatMap { labels?.upstreams[$0.upstreamIndex] } ?? -1)
        recordRequest(
            location: location, method: Self.label(e.head.methodKind), status: e.status, nanos: now &- e.start,
            upstream: upstream, upstreamNanos: upstreamNanos ?? 0)
    }

    /// A request refused before its head parsed (400, 431, ...): no location, no method.
    func recordRejected(status: Int) {
        recordRequest(location: shared.noLocationIndex, method: "other", status: status, nanos: 0)
    }

    /// The location labels: each `location`'s prefix in config order, then the auth prefix for
    /// the sign-in endpoints (GatewayMetrics adds "none" last).
    static func locationLabels(_ config: GatewayConfiguration) -> [String] {
        config.locations.map(\.prefix) + [config.authPrefix]
    }

    static func authLocationIndex(_ shared: GatewayMetrics) -> Int { shared.locations.count - 2 }

    /// A failed upstream connection, by kind: rare, so its series is looked up by label.
    func upstreamFailed(_ upstream: String, _ error: UpstreamError) {
        let kind: String
        switch error {
        case .connectFailed: kind = "connect"
        case .connectTimedOut, .readTimedOut, .sendTimedOut: kind = "timeout"
        case .io: kind = "reset"
        case .tlsFailed: kind = "tls"
        }
        increment(counter(MetricCatalog.upstreamErrors, [("upstream", upstream), ("kind", kind)]))
    }

    /// Methods outside this set are `other`, so a client cannot mint label values.
    static func label(_ method: HTTPMethodKind) -> String {
        switch method {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .trace: "TRACE"
        case .patch: "PATCH"
        case .connect: "CONNECT"
        case .other: "other"
        }
    }
}
