// The per-loop recorders: nothing reaches the registry before a flush, and a flush is exact.
import Dispatch
import GatewayCore
import XCTest

@testable import GatewayMetrics

final class LoopMetricsTests: XCTestCase {
    private func makeShared() -> GatewayMetrics {
        GatewayMetrics(version: "test", locations: ["/api/", "/"], upstreams: ["app"])
    }

    private func rendered(_ shared: GatewayMetrics) -> Scraped {
        Scraped(String(decoding: shared.registry.emitToBuffer(), as: UTF8.self))
    }

    func testRequestsStayInTheLoopUntilFlushedThenCountExactly() {
        let shared = makeShared()
        let loop = LoopMetrics(shared: shared)
        for _ in 0..<3 { loop.recordRequest(location: 0, method: "GET", status: 200, nanos: 2_000_000) }
        loop.recordRequest(
            location: 1, method: "POST", status: 503, nanos: 40_000_000, upstream: 0, upstreamNanos: 30_000_000)
        let series = "gateway_http_requests_total{location=\"/api/\",method=\"GET\",code=\"200\"}"
        XCTAssertNil(rendered(shared)[series], "a request reached the registry before a flush")
        XCTAssertEqual(loop.requests.count, 4)

        loop.flush(forScrape: false)
        let after = rendered(shared)
        XCTAssertEqual(after[series], 3)
        XCTAssertEqual(after["gateway_http_requests_total{location=\"/\",method=\"POST\",code=\"503\"}"], 1)
        XCTAssertEqual(loop.requests.count, 0)
        // Histogram semantics are exact: 2 ms lands in le=0.0025, not le=0.001; sum is 3 x 2 ms.
        let duration = "gateway_http_request_duration_seconds"
        XCTAssertEqual(after["\(duration)_bucket{location=\"/api/\",le=\"0.001\"}"], 0)
        XCTAssertEqual(after["\(duration)_bucket{location=\"/api/\",le=\"0.0025\"}"], 3)
        XCTAssertEqual(after["\(duration)_count{location=\"/api/\"}"], 3)
        XCTAssertEqual(after["\(duration)_sum{location=\"/api/\"}"] ?? 0, 0.006, accuracy: 1e-12)
        XCTAssertEqual(after["gateway_upstream_request_duration_seconds_count{upstream=\"app\"}"], 1)
        XCTAssertEqual(after["gateway_upstream_request_duration_seconds_bucket{upstream=\"app\",le=\"0.025\"}"], 0)
        XCTAssertEqual(after["gateway_upstream_request_duration_seconds_bucket{upstream=\"app\",le=\"0.05\"}"], 1)

        // A second flush adds only what came since.
        loop.recordRequest(location: 0, method: "GET", status: 200, nanos: 1)
        loop.flush(forScrape: false)
        XCTAssertEqual(rendered(shared)[series], 4)
    }

    func testTwoLoopsAddUpIntoOneSeries() {
        let shared = makeShared()
        let loops = [LoopMetrics(shared: shared), LoopMetrics(shared: shared)]
        for (i, loop) in loops.enumerated() {
            let errors = loop.counter(MetricCatalog.storeErrors, [("op", "load")])
            XCTAssertEqual(loop.counter(MetricCatalog.storeErrors, [("op", "load")]), errors, "resolved once")
            for _ in 0...i { loop.increment(errors) }
            let durations = loop.histogram(MetricCatalog.storeDuration, [("op", "load")])
            loop.observe(durations, seconds: 0.003)
            loop.flush(forScrape: false)
        }
        let after = rendered(shared)
        XCTAssertEqual(after["gateway_session_store_errors_total{op=\"load\"}"], 3)
        XCTAssertEqual(after["gateway_session_store_duration_seconds_count{op=\"load\"}"], 2)
        XCTAssertEqual(after["gateway_session_store_duration_seconds_bucket{op=\"load\",le=\"0.005\"}"], 2)
    }

    func testLoopGaugesAreSharesThatReplaceTheirLastValue() {
        let shared = makeShared()
        let (a, b) = (LoopMetrics(shared: shared), LoopMetrics(shared: shared))
        let idleA = a.gauge(MetricCatalog.upstreamIdle, [("upstream", "app")])
        let idleB = b.gauge(MetricCatalog.upstreamIdle, [("upstream", "app")])
        a.setGauge(idleA, to: 3)
        b.setGauge(idleB, to: 4)
        a.flush(forScrape: false)
        b.flush(forScrape: false)
        XCTAssertEqual(rendered(shared)["gateway_upstream_connections_idle{upstream=\"app\"}"], 7)
        a.setGauge(idleA, to: 1)
        a.flush(forScrape: false)
        XCTAssertEqual(rendered(shared)["gateway_upstream_connections_idle{upstream=\"app\"}"], 5)
    }

    func testAFullBatchFlushesItselfAndTheTickFlushesEverySecond() {
        let shared = makeShared()
        let loop = LoopMetrics(shared: shared)
        for _ in 0..<LoopMetrics.batchLimit { loop.recordRequest(location: 0, method: "GET", status: 200, nanos: 1) }
        XCTAssertEqual(loop.requests.count, 0, "the batch limit flushed")
        let series = "gateway_http_requests_total{location=\"/api/\",method=\"GET\",code=\"200\"}"
        XCTAssertEqual(rendered(shared)[series], Double(LoopMetrics.batchLimit))
        loop.recordRequest(location: 0, method: "GET", status: 200, nanos: 1)
        for _ in 1..<LoopMetrics.ticksPerFlush { loop.tick(now: 0) }
        XCTAssertEqual(loop.requests.count, 1, "flushed before its tick")
        loop.tick(now: 0)
        XCTAssertEqual(loop.requests.count, 0)
        XCTAssertEqual(rendered(shared)[series], Double(LoopMetrics.batchLimit + 1))
    }

    func testAScrapeFlushesEveryLoopOnItsOwnQueueFirst() {
        let shared = makeShared()
        let group = EventLoopGroup(count: 2)
        group.start()
        let recorders = group.loops.map { _ in LoopMetrics(shared: shared) }
        let recorded = DispatchGroup()
        for (loop, recorder) in zip(group.loops, recorders) {
            recorded.enter()
            loop.execute {
                recorder.recordRequest(location: 1, method: "GET", status: 200, nanos: 5)
                recorded.leave()
            }
        }
        recorded.wait()
        let done = expectation(description: "scrape")
        let body = Locked()
        shared.scrape(loops: Array(zip(group.loops, recorders)), on: DispatchQueue(label: "scrape")) { bytes in
            body.text = String(decoding: bytes, as: UTF8.self)
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        let scraped = Scraped(body.text)
        XCTAssertEqual(scraped["gateway_http_requests_total{location=\"/\",method=\"GET\",code=\"200\"}"], 2)
        XCTAssertEqual(scraped["gateway_build_info{version=\"test\"}"], 1)
        XCTAssertNotNil(scraped["process_cpu_seconds_total"])
        XCTAssertGreaterThan(scraped["process_start_time_seconds"] ?? 0, 1_600_000_000)
    }
}

private final class Locked: @unchecked Sendable {
    var text = ""
}

/// Samples by series as printed.
private struct Scraped {
    let samples: [String: Double]
    init(_ text: String) {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        self.samples = samples
    }
    subscript(_ series: String) -> Double? { samples[series] }
}
