// The gateway's metric families: names, help texts and buckets, the one table docs/metrics.md lists.

/// One metric family. swift-prometheus insists that every registration of a name carries the
/// same help text, so each family is written once, here.
public struct MetricSpec: Sendable, Hashable {
    public let name: String
    public let help: String

    public init(_ name: String, _ help: String) {
        self.name = name
        self.help = help
    }
}

public enum MetricCatalog {
    public static let requests = MetricSpec(
        "gateway_http_requests_total", "Requests answered, by location, method and status code.")
    public static let requestDuration = MetricSpec(
        "gateway_http_request_duration_seconds",
        "Time from a request's head to the end of its answer, by location.")
    public static let upstreamDuration = MetricSpec(
        "gateway_upstream_request_duration_seconds",
        "Time from handing a request to an upstream connection to its response head, by upstream.")
    public static let upstreamErrors = MetricSpec(
        "gateway_upstream_errors_total", "Failed upstream connections, by upstream and kind (connect, timeout, reset).")
    public static let upstreamIdle = MetricSpec(
        "gateway_upstream_connections_idle", "Idle keep-alive connections in the upstream pools, by upstream.")
    public static let upstreamBusy = MetricSpec(
        "gateway_upstream_connections_busy", "Upstream connections serving a request, by upstream.")
    public static let signIns = MetricSpec(
        "gateway_sign_ins_total", "Finished sign-in callbacks, by provider and outcome.")
    public static let sessionsActive = MetricSpec(
        "gateway_sessions_active", "Sessions in the store (memory store only: Redis cannot count them cheaply).")
    public static let storeDuration = MetricSpec(
        "gateway_session_store_duration_seconds", "Session and identity store calls, by operation.")
    public static let storeErrors = MetricSpec(
        "gateway_session_store_errors_total", "Session and identity store calls that failed, by operation.")
    public static let idpDuration = MetricSpec(
        "gateway_idp_request_duration_seconds", "Requests to identity providers, by provider and endpoint.")
    public static let connectionsOpen = MetricSpec(
        "gateway_connections_open", "Client connections open now.")
    public static let connectionsRejected = MetricSpec(
        "gateway_connections_rejected_total", "Client connections closed at accept, by reason.")
    public static let configReloads = MetricSpec(
        "gateway_config_reloads_total", "Configuration reloads, by result (success, failure).")
    public static let logLinesDropped = MetricSpec(
        "gateway_log_lines_dropped_total",
        "Log lines dropped because a write failed (a full disk) or too many were waiting, by log (access, error).")
    public static let buildInfo = MetricSpec(
        "gateway_build_info", "Always 1; the version label says which build runs.")

    /// Seconds: 1 ms to 10 s, the usual spread of web latencies.
    public static let latencyBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// Counters that exist from the start, so a rate is defined before the first event.
    static let rejectReasons = ["max_connections", "draining"]
    static let reloadResults = ["success", "failure"]
}
