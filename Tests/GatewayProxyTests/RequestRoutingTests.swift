// A parsed head in, one routing decision out: health checks, the local endpoint, locations,
// refusals and WebSocket admission, in that order.

import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayTestSupport
import Logging
import XCTest

@testable import GatewayProxy

final class RequestRoutingTests: XCTestCase {
    /// Claims `/auth/` targets, as the sign-in endpoint does.
    private final class AuthEndpoint: LocalEndpoint {
        func claims(_ target: [UInt8]) -> Bool { target.starts(with: bytes("/auth/")) }
        func answer(_ request: LocalRequest, completion: @escaping (LocalResponse) -> Void) {}
        var logRedactedPrefix: String? { nil }
    }

    private func shared() throws -> ProxyShared {
        let config = try testConfiguration()
        let upstreams = try config.upstreams.map(UpstreamTarget.init)
        return ProxyShared(
            config: config, upstreams: upstreams, errorLog: Logger(label: "test"),
            health: HealthMonitor(upstreams: upstreams, interval: .seconds(60)))
    }

    private enum Outcome: Equatable {
        case answer(Int), refuse(Int), local, gate(String), proxy(String)
    }

    private func decide(_ raw: String, endpoint: LocalEndpoint? = AuthEndpoint()) throws -> (Outcome, Exchange) {
        let head = try XCTUnwrap(parsedHead(raw), raw)
        var e = Exchange(head: head, start: 0, clientAddress: "192.0.2.1")
        let origin = RequestOrigin(
            peer: try SocketAddress.resolve(host: "192.0.2.1", port: 1000), peerTrusted: false, endpoint: endpoint)
        let outcome: Outcome =
            switch RequestRouting.decide(&e, from: origin, shared: try shared()) {
            case .answer(let r): .answer(r.status)
            case .refuse(let r): .refuse(r.status)
            case .local: .local
            case .gate(let route): .gate(text(route.prefix))
            case .proxy(let route): .proxy(text(route.prefix))
            }
        return (outcome, e)
    }

    private func get(_ target: String, _ fields: String = "") -> String {
        "GET \(target) HTTP/1.1\r\nHost: gateway.test\r\n\(fields)\r\n"
    }

    func testEachKindOfRequestGetsItsDecision() throws {
        let rows: [(String, Outcome)] = [
            (get("/healthz"), .answer(200)),
            (get("/auth/start?x=1"), .local),
            (get("/%61uth/start"), .local),  // the canonical target is what the endpoint sees
            (get("/public/page"), .proxy("/public/")),
            (get("/admin/page"), .gate("/admin/")),
            (get("/admin;x/page"), .gate("/admin/")),
            (get("/a/../admin/"), .refuse(400)),
            (get("/a%2Fb"), .refuse(400)),
            ("OPTIONS * HTTP/1.1\r\nHost: gateway.test\r\n\r\n", .answer(404)),
        ]
        for (raw, expected) in rows {
            XCTAssertEqual(try decide(raw).0, expected, raw)
        }
        XCTAssertEqual(try decide(get("/auth/start"), endpoint: nil).0, .proxy("/"), "no sign-in: an ordinary path")
    }

    func testTheDecisionRecordsTheCanonicalTargetAndTheRoute() throws {
        let (_, e) = try decide(get("/public//a%7Eb?q=1"))
        XCTAssertEqual(e.target.map { text($0.forwarded) }, "/public/a~b?q=1")
        XCTAssertEqual(e.route.map { text($0.prefix) }, "/public/")
    }

    func testWebSocketHandshakesAreCheckedAndCrossSiteOnesRefusedOnProtectedLocations() throws {
        let ws =
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
        let (publicWS, e) = try decide(get("/public/ws", ws + "Origin: https://evil.example\r\n"))
        XCTAssertEqual(publicWS, .proxy("/public/"))
        XCTAssertEqual(e.websocketAccept.map { text($0) }, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        XCTAssertEqual(try decide(get("/admin/ws", ws + "Origin: https://evil.example\r\n")).0, .answer(403))
        XCTAssertEqual(try decide(get("/admin/ws", ws + "Origin: http://gateway.test\r\n")).0, .gate("/admin/"))
        XCTAssertEqual(try decide(get("/admin/ws", ws)).0, .gate("/admin/"), "no Origin: not a browser")
        let broken = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        XCTAssertEqual(try decide(get("/public/ws", broken)).0, .refuse(400))
    }

    func testForwardAuthLooksUpOtherTargetsWithTheSameRules() throws {
        let shared = try shared()
        guard case .location(let location) = RequestRouting.locate(bytes("/%61dmin/x"), shared: shared) else {
            return XCTFail("not found")
        }
        XCTAssertEqual(location.prefix, "/admin/")
        guard case .rejected = RequestRouting.locate(bytes("/x/../admin/"), shared: shared) else {
            return XCTFail("dot segments")
        }
    }
}
