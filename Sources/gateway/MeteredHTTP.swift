// A provider's outbound HTTP client that times each request into its loop's metrics.
import GatewayCore
import GatewayMetrics
import GatewayOutbound

/// `gateway_idp_request_duration_seconds{provider,endpoint}`. The endpoint is told from the
/// request itself (providers name no purpose): discovery by its well-known path, `token` for
/// POSTs (token, request_token and access_token endpoints), `jwks` for key sets, and
/// `userinfo` for the other GETs (userinfo and profile APIs). Four values per provider at most.
///
/// Thread-safety: `@unchecked Sendable`; used on its loop's queue, where curl answers too.
final class MeteredHTTP: OutboundHTTP, @unchecked Sendable {
    private let inner: OutboundHTTP
    private let metrics: LoopMetrics
    private let series: [String: LoopMetrics.Series]

    static let endpoints = ["discovery", "token", "jwks", "userinfo"]

    init(_ inner: OutboundHTTP, provider: String, metrics: LoopMetrics) {
        self.inner = inner
        self.metrics = metrics
        var series: [String: LoopMetrics.Series] = [:]
        for endpoint in Self.endpoints {
            series[endpoint] = metrics.histogram(
                MetricCatalog.idpDuration, [("provider", provider), ("endpoint", endpoint)])
        }
        self.series = series
    }

    static func endpoint(of request: OutboundRequest) -> String {
        let url = request.url.lowercased()
        if url.contains("/.well-known/") { return "discovery" }
        if request.method == "POST" { return "token" }
        if url.contains("jwks") || url.hasSuffix("/certs") || url.contains("/keys") { return "jwks" }
        return "userinfo"
    }

    func send(_ request: OutboundRequest, completion: @escaping (Result<OutboundResponse, OutboundHTTPError>) -> Void) {
        let start = MonotonicClock.now()
        let target = series[Self.endpoint(of: request)]!
        inner.send(request) { [metrics] result in
            metrics.observe(target, seconds: Double(MonotonicClock.now() &- start) / 1e9)
            completion(result)
        }
    }
}
