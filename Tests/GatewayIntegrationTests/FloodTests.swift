// Floods of slow and idle connections: real traffic keeps its latency, the header timeout ends
// the tricklers, and max_connections refuses the excess without touching served connections.
import Foundation
import GatewayTestSupport
import XCTest

final class FloodTests: IntegrationTestCase {
    private let tricklers = 2_000
    private let idleDone = 1_000
    private let idleSilent = 1_000
    /// Long enough for the flood to open and the loaded wrk run to end before the tricklers'
    /// heads time out, short enough to watch them time out.
    private let headerTimeout = 20.0
    /// wrk's settings, the same for both runs.
    private let wrkConnections = 32
    private let wrkSeconds = 5
    /// The p99 under the flood may be 3x the unloaded one, or this, whichever is larger: on a
    /// 2-core machine that runs wrk, nginx, the flood's client and the gateway at once, an
    /// unloaded p99 of 1-2 ms can triple from scheduling alone. A loop stalled by 4,000
    /// connections (a per-connection scan that blocks, a busy trickler) costs far more than this.
    private let p99FloorMs = 25.0

    private func startGateway(upstream: StaticUpstream, extra: String) throws -> GatewayProcess {
        try startGateway(
            """
            listen 127.0.0.1:0;
            workers 2;
            access_log off;
            error_log stderr info;
            metrics_listen 127.0.0.1:0;
            \(extra)
            upstream app { server 127.0.0.1:\(upstream.port); keepalive 64; }
            location / { auth off; proxy_pass app; }
            """)
    }

    private func startStatic() throws -> StaticUpstream {
        let upstream = try StaticUpstream(directory: directory)
        track(upstream.child)
        return upstream
    }

    private func startFlood(
        _ port: Int, trickle: Int = 0, idleDone: Int = 0, idleSilent: Int = 0, hold: TimeInterval, reuse: Bool = false
    )
        throws -> FloodClients
    {
        let flood = try FloodClients(
            port: port, directory: directory, trickle: trickle, idleDone: idleDone, idleSilent: idleSilent, hold: hold,
            path: "/index.html", reuse: reuse)
        track(flood.child)
        return flood
    }

    func testTricklingAndIdleConnectionsLeaveRealTrafficLatencyAlone() throws {
        let upstream = try startStatic()
        let gateway = try startGateway(
            upstream: upstream, extra: "client_header_timeout \(Int(headerTimeout))s; keepalive_timeout 300s;")
        let url = "http://127.0.0.1:\(gateway.port)/index.html"
        _ = try WrkRun(url: url, connections: wrkConnections, seconds: 1, directory: directory)
        let unloaded = try WrkRun(url: url, connections: wrkConnections, seconds: wrkSeconds, directory: directory)

        let flood = try startFlood(
            gateway.port, trickle: tricklers, idleDone: idleDone, idleSilent: idleSilent, hold: 120)
        let ready = try flood.ready()
        XCTAssertEqual(ready["opened"], tricklers + idleDone + idleSilent, ready.description)
        XCTAssertEqual(ready["refused"], 0, ready.description)
        Thread.sleep(forTimeInterval: 1)
        let loaded = try WrkRun(url: url, connections: wrkConnections, seconds: wrkSeconds, directory: directory)
        let during = try XCTUnwrap(flood.status)
        let bound = max(3 * unloaded.p99, p99FloorMs)
        let summary =
            "flood: p99 \(unloaded.p99) ms unloaded (\(unloaded.requests) requests), \(loaded.p99) ms with "
            + "\(tricklers) tricklers and \(idleDone + idleSilent) idle connections (\(loaded.requests) requests); "
            + "bound \(bound) ms; during: \(during.description)"
        print(summary)
        // The measurement counts only if the flood was still held while wrk ran.
        XCTAssertEqual(during["trickle_open"], tricklers, summary)
        XCTAssertEqual(during["idle_open"], idleDone + idleSilent, summary)
        XCTAssertEqual(unloaded.errors, 0, unloaded.output)
        XCTAssertEqual(loaded.errors, 0, loaded.output)
        XCTAssertLessThanOrEqual(loaded.p99, bound, summary)
        XCTAssertGreaterThan(loaded.requests, unloaded.requests / 4, summary)

        // The header timeout ends every trickler with a 408, counted from its connect (a byte
        // now and then does not restart it), and the connections that never sent a byte with it.
        var after = during
        waitUntil(timeout: headerTimeout + 30, interval: 0.5) {
            after = flood.status ?? after
            return after["trickle_closed"] == tricklers && after["idle_closed"] == idleSilent
        }
        print("flood: after the header timeout: \(after.description)")
        XCTAssertEqual(after["trickle_closed"], tricklers, after.description)
        XCTAssertEqual(after["trickle_408"], tricklers, after.description)
        XCTAssertGreaterThanOrEqual(after.seconds("trickle_min_age"), headerTimeout - 1, after.description)
        XCTAssertLessThanOrEqual(after.seconds("trickle_max_age"), headerTimeout + 10, after.description)
        // Keep-alive connections wait for keepalive_timeout (300 s) instead; silent ones had none.
        XCTAssertEqual(after["idle_closed"], idleSilent, after.description)
        XCTAssertEqual(after["idle_open"], idleDone, after.description)
        XCTAssertEqual(try gateway.client().request("GET", "/index.html").status, 200)
    }

    func testMaxConnectionsRefusesTheExcessAndKeepsServedConnections() throws {
        let limit = 1_000
        let excess = 1_000
        let upstream = try startStatic()
        let gateway = try startGateway(upstream: upstream, extra: "max_connections \(limit); keepalive_timeout 300s;")
        let metrics = try gateway.metricsPort()
        let before = try GatewayProcess.scrape(metrics)
        let flood = try startFlood(gateway.port, idleDone: limit + excess, hold: 10, reuse: true)
        let ready = try flood.ready()
        print("max_connections \(limit): \(ready.description)")
        XCTAssertEqual(ready["opened"], limit, ready.description)
        XCTAssertEqual(ready["refused"], excess, ready.description)
        XCTAssertEqual(ready["failed"], 0, ready.description)
        // Closed at accept: the client sees its connection end at once, not after a timeout.
        XCTAssertLessThan(ready["refused_max_ms"], 1_000, ready.description)
        // While the flood holds every slot, a newcomer is refused too.
        XCTAssertTrue(try gateway.client(timeout: 5).isClosedByPeer())
        let during = try GatewayProcess.scrape(metrics)
        XCTAssertEqual(
            during.delta(before, "gateway_connections_rejected_total{reason=\"max_connections\"}"), Double(excess + 1))
        XCTAssertEqual(during.value("gateway_connections_open"), Double(limit))
        // Refusals are logged in summary, not a line each: a flood must not flood the log.
        let warnings = gateway.child.stderr.components(separatedBy: "max_connections reached").count - 1
        XCTAssertGreaterThan(warnings, 0)
        XCTAssertLessThanOrEqual(warnings, 20, "\(warnings) warnings for \(excess + 1) refusals")

        // Every connection that was let in still works.
        let reused = try flood.reused(timeout: 60)
        XCTAssertEqual(reused["ok"], limit, reused.description)
        XCTAssertEqual(reused["failed"], 0, reused.description)
        flood.stop()
        var status = 0
        waitUntil(timeout: 10, interval: 0.1) {
            status = (try? gateway.client(timeout: 5).request("GET", "/index.html"))?.status ?? 0
            return status == 200
        }
        XCTAssertEqual(status, 200, "the gateway serves newcomers once the flood is gone")
    }
}
