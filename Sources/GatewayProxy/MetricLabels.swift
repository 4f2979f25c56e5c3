// A generation's locations and upstreams as indices into the metrics' label tables, which are
// made once at start-up: a reload that adds a location or an upstream cannot add series labels
// to recorders already running, so what is new is counted under "none" until a restart.
import GatewayConfig
import GatewayMetrics

struct MetricLabels: Sendable {
    /// By `Route.locationIndex` (config order): the label index of that location's prefix.
    let locations: [Int]
    /// By upstream index: the label index of that upstream's name, or -1.
    let upstreams: [Int]

    init(config: GatewayConfiguration, metrics: GatewayMetrics) {
        locations = config.locations.map { metrics.locations.firstIndex(of: $0.prefix) ?? metrics.noLocationIndex }
        upstreams = config.upstreams.map { metrics.upstreams.firstIndex(of: $0.name) ?? -1 }
    }
}
