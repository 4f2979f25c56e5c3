// The gateway's one metrics registry: what every loop flushes into and what a scrape renders.
import enum CoreMetrics.MetricsSystem
import Dispatch
import GatewayCore
import Prometheus
import Synchronization

/// The shared side of the metrics. The hot path never touches it: each loop records into its
/// own `LoopMetrics` and flushes here (see that type for why). A scrape first has every loop
/// flush on its own queue, then runs the collectors (gauges read at scrape: open connections,
/// sessions, the process) and renders with swift-prometheus.
///
/// Thread-safety: the registry is swift-prometheus's (locked); the collector list is set up
/// before the server starts and then only read, under its mutex.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Location label values; `LoopMetrics.recordRequest` takes an index into it.
    public let locations: [String]
    /// Upstream label values, by upstream index.
    public let upstreams: [String]
    private let collectors = Mutex<[@Sendable () -> Void]>([])
    private let process: ProcessMetrics
    private let reloads: [Counter]
    private let rejections: [Counter]

    /// The label for requests no location covers, and for requests refused before their head parsed.
    public static let noLocation = "none"

    public init(version: String, locations: [String], upstreams: [String]) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.locations = locations + [Self.noLocation]
        self.upstreams = upstreams
        process = ProcessMetrics(registry: registry)
        registry.makeGauge(
            name: MetricCatalog.buildInfo.name, labels: [("version", version)], help: MetricCatalog.buildInfo.help
        ).set(to: 1)
        reloads = MetricCatalog.reloadResults.map {
            registry.makeCounter(
                name: MetricCatalog.configReloads.name, labels: [("result", $0)], help: MetricCatalog.configReloads.help
            )
        }
        rejections = MetricCatalog.rejectReasons.map {
            registry.makeCounter(
                name: MetricCatalog.connectionsRejected.name, labels: [("reason", $0)],
                help: MetricCatalog.connectionsRejected.help)
        }
    }

    /// The index of the "none" location label.
    public var noLocationIndex: Int { locations.count - 1 }

    /// A gauge read at scrape time (open connections, sessions in a memory store).
    public func gauge(_ spec: MetricSpec, read: @escaping @Sendable () -> Double) {
        let gauge = registry.makeGauge(name: spec.name, labels: [], help: spec.help)
        addCollector { gauge.set(to: read()) }
    }

    /// A counter whose total another part keeps (a log sink's dropped lines), brought up to
    /// `read()` at each scrape.
    public func counter(_ spec: MetricSpec, labels: [(String, String)], total read: @escaping @Sendable () -> Int) {
        let counter = registry.makeCounter(name: spec.name, labels: labels, help: spec.help)
        let reported = Mutex(0)
        addCollector {
            let total = read()
            let delta = reported.withLock { last in
                defer { last = max(last, total) }
                return total - last
            }
            if delta > 0 { counter.increment(by: Int64(delta)) }
        }
    }

    /// Work run before each render, on the scraping queue.
    public func addCollector(_ collector: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// Points swift-metrics' global factory at this registry, so a library instrumented with
    /// swift-metrics reports on the same `/metrics`. Once per process (the executable's start);
    /// the gateway's own metrics do not go through it (see `LoopMetrics`).
    public func bootstrapSwiftMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// A connection refused at accept: rare, so one relaxed atomic on the shared counter.
    public func connectionRejected(_ reason: RejectReason) {
        rejections[reason.rawValue].increment()
    }

    /// For the reload path: counted on the shared counter (a reload is rare).
    public func configReloaded(success: Bool) {
        reloads[success ? 0 : 1].increment()
    }

    /// Has every loop flush on its own queue, then renders on `queue`. Nothing blocks: the
    /// loops are asked in turn and the render runs when the last one has answered.
    public func scrape(
        loops: [(EventLoop, LoopMetrics)], on queue: DispatchQueue,
        completion: @escaping @Sendable ([UInt8]) -> Void
    ) {
        let group = DispatchGroup()
        for (loop, metrics) in loops {
            group.enter()
            loop.execute {
                metrics.flush(forScrape: true)
                group.leave()
            }
        }
        group.notify(queue: queue) { [self] in
            completion(render())
        }
    }

    /// Runs the collectors and renders the text exposition format (swift-prometheus's).
    public func render() -> [UInt8] {
        process.update()
        for collector in collectors.withLock({ $0 }) { collector() }
        return registry.emitToBuffer()
    }
}

/// Why a connection was closed at accept.
public enum RejectReason: Int, Sendable {
    case maxConnections = 0
    case draining = 1
}
