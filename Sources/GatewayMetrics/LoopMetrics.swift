// One event loop's metrics: plain values appended on the hot path, flushed into the registry.
import GatewayCore
import Prometheus

/// Why per loop, and why batched. swift-prometheus's `Counter` is a relaxed atomic, but its
/// `Histogram.record` takes a lock, and finding the series for a label set (`makeCounter`)
/// takes the registry's lock and hashes the labels. Per request that is two or three locks
/// shared by every loop. Instead each loop owns one `LoopMetrics` and touches only plain
/// memory: a request appends one `RequestSample` to an array, a counter bump adds to an `Int`
/// slot, an observation appends `(series, value)`. No atomic, no lock, no hashing.
///
/// The values reach the registry in batches, on the loop's own queue: every second from the
/// loop's tick, whenever a batch reaches `batchLimit`, and before every scrape (the scraper asks
/// each loop to flush and renders when all have: a scrape sees every request answered before
/// it). Counters get one `increment(by:)` per series per flush. Histograms keep exact semantics
/// (every observation lands in its bucket and in `_sum`), because the flush replays each
/// observation with `record`: swift-prometheus has no way to add a pre-bucketed batch. Those
/// locks are uncontended (only this loop and a scrape take them) and off the request's path.
///
/// Thread-safety: `@unchecked Sendable`; touched only on its loop's queue (setup before start).
public final class LoopMetrics: LoopTickable, @unchecked Sendable {
    public let shared: GatewayMetrics
    private let registry: PrometheusCollectorRegistry

    /// A series this loop can bump or observe without hashing: an index into its tables.
    public struct Series: Sendable, Hashable {
        let index: Int32
    }

    struct RequestSample {
        var location: Int32
        var status: Int32
        var method: String
        var seconds: Double
        var upstream: Int32
        var upstreamSeconds: Double
    }

    private struct SeriesKey: Hashable {
        var name: String
        var labels: [String]
    }

    private struct RequestKey: Hashable {
        var location: Int32
        var status: Int32
        var method: String
    }

    private(set) var requests: [RequestSample] = []
    private(set) var observations: [(series: Int32, value: Double)] = []
    private var counterDeltas: [Int] = []
    private var counters: [Counter] = []
    private var histograms: [ValueHistogram] = []
    private var gaugeValues: [(gauge: Gauge, value: Double, flushed: Double)] = []
    private var seriesByKey: [SeriesKey: Series] = [:]
    private var requestCounters: [RequestKey: Counter] = [:]
    private let requestHistograms: [ValueHistogram]
    private let upstreamHistograms: [ValueHistogram]
    private var ticks = 0
    /// Run before a scrape's flush: the loop's gauges are read then (pool sizes).
    public var beforeScrape: (() -> Void)?

    /// A batch is flushed at once past this many samples, so memory stays bounded.
    public static let batchLimit = 4096
    /// Ticks (100 ms each) between flushes when nobody scrapes.
    static let ticksPerFlush = 10

    public init(shared: GatewayMetrics) {
        self.shared = shared
        registry = shared.registry
        let buckets = MetricCatalog.latencyBuckets
        requestHistograms = shared.locations.map {
            shared.registry.makeValueHistogram(
                name: MetricCatalog.requestDuration.name, labels: [("location", $0)], buckets: buckets,
                help: MetricCatalog.requestDuration.help)
        }
        upstreamHistograms = shared.upstreams.map {
            shared.registry.makeValueHistogram(
                name: MetricCatalog.upstreamDuration.name, labels: [("upstream", $0)], buckets: buckets,
                help: MetricCatalog.upstreamDuration.help)
        }
        requests.reserveCapacity(Self.batchLimit)
    }

    // MARK: The hot path

    /// One answered request. `location` indexes `shared.locations`; `upstream` indexes
    /// `shared.upstreams`, or is -1 when no upstream answered.
    @inline(__always)
    public func recordRequest(
        location: Int, method: String, status: Int, nanos: UInt64, upstream: Int = -1, upstreamNanos: UInt64 = 0
    ) {
        requests.append(
            RequestSample(
                location: Int32(truncatingIfNeeded: location), status: Int32(truncatingIfNeeded: status),
                method: method, seconds: Double(nanos) / 1e9, upstream: Int32(truncatingIfNeeded: upstream),
                upstreamSeconds: Double(upstreamNanos) / 1e9))
        if requests.count >= Self.batchLimit { flush(forScrape: false) }
    }

    @inline(__always)
    public func increment(_ series: Series, by amount: Int = 1) {
        counterDeltas[Int(series.index)] &+= amount
    }

    @inline(__always)
    public func observe(_ series: Series, seconds: Double) {
        observations.append((series.index, seconds))
        if observations.count >= Self.batchLimit { flush(forScrape: false) }
    }

    /// This loop's share of a gauge the loops add up (pool sizes): applied as a difference.
    public func setGauge(_ series: Series, to value: Double) {
        gaugeValues[Int(series.index)].value = value
    }

    // MARK: Series, resolved once (at setup, or on the first rare event)

    /// A counter series; the same labels give the same series (and the same registry counter
    /// on every loop).
    public func counter(_ spec: MetricSpec, _ labels: [(String, String)]) -> Series {
        series(spec, labels) {
            counters.append(registry.makeCounter(name: spec.name, labels: labels, help: spec.help))
            counterDeltas.append(0)
            return counters.count - 1
        }
    }

    public func histogram(_ spec: MetricSpec, _ labels: [(String, String)]) -> Series {
        series(spec, labels) {
            histograms.append(
                registry.makeValueHistogram(
                    name: spec.name, labels: labels, buckets: MetricCatalog.latencyBuckets, help: spec.help))
            return histograms.count - 1
        }
    }

    public func gauge(_ spec: MetricSpec, _ labels: [(String, String)]) -> Series {
        series(spec, labels) {
            gaugeValues.append((registry.makeGauge(name: spec.name, labels: labels, help: spec.help), 0, 0))
            return gaugeValues.count - 1
        }
    }

    /// The known series for these labels, or a new one from `make` (which returns its index in
    /// its kind's table). A name has one kind (swift-prometheus refuses a second), so the name
    /// and labels are key enough.
    private func series(_ spec: MetricSpec, _ labels: [(String, String)], make: () -> Int) -> Series {
        let key = SeriesKey(name: spec.name, labels: labels.flatMap { [$0.0, $0.1] })
        if let known = seriesByKey[key] { return known }
        let series = Series(index: Int32(make()))
        seriesByKey[key] = series
        return series
    }

    // MARK: Flushing

    public func tick(now: UInt64) {
        ticks += 1
        if ticks >= Self.ticksPerFlush {
            ticks = 0
            flush(forScrape: false)
        }
    }

    /// Moves everything recorded so far into the registry.
    public func flush(forScrape: Bool) {
        if forScrape { beforeScrape?() }
        // Runs of one label set (the usual traffic) cost one lookup and one atomic add.
        var run: (key: RequestKey, count: Int64)?
        for sample in requests {
            let key = RequestKey(location: sample.location, status: sample.status, method: sample.method)
            if let current = run, current.key == key {
                run = (key, current.count + 1)
            } else {
                if let current = run { requestCounter(current.key).increment(by: current.count) }
                run = (key, 1)
            }
            requestHistograms[Int(sample.location)].record(sample.seconds)
            if sample.upstream >= 0 { upstreamHistograms[Int(sample.upstream)].record(sample.upstreamSeconds) }
        }
        if let current = run { requestCounter(current.key).increment(by: current.count) }
        requests.removeAll(keepingCapacity: true)
        for (series, value) in observations { histograms[Int(series)].record(value) }
        observations.removeAll(keepingCapacity: true)
        for i in counterDeltas.indices where counterDeltas[i] != 0 {
            counters[i].increment(by: Int64(counterDeltas[i]))
            counterDeltas[i] = 0
        }
        for i in gaugeValues.indices where gaugeValues[i].value != gaugeValues[i].flushed {
            gaugeValues[i].gauge.increment(by: gaugeValues[i].value - gaugeValues[i].flushed)
            gaugeValues[i].flushed = gaugeValues[i].value
        }
    }

    private func requestCounter(_ key: RequestKey) -> Counter {
        if let known = requestCounters[key] { return known }
        let counter = registry.makeCounter(
            name: MetricCatalog.requests.name,
            labels: [
                ("location", shared.locations[Int(key.location)]), ("method", key.method), ("code", String(key.status)),
            ], help: MetricCatalog.requests.help)
        requestCounters[key] = counter
        return counter
    }
}
