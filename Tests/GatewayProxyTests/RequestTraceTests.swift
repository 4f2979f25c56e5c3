// Request ids and trace context: believed only from trusted proxies, made here otherwise.

import GatewayConfig
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class RequestTraceTests: XCTestCase {
    private let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    private func trace(_ fields: String, trusted: Bool) throws -> RequestTrace {
        let head = try XCTUnwrap(parsedHead("GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n"))
        var ids = RequestIDGenerator()
        return RequestTrace.make(head, peerTrusted: trusted, ids: &ids)
    }

    private func isHex(_ s: String, count: Int) -> Bool {
        s.count == count && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    func testAnUntrustedClientsIdsAreReplaced() throws {
        let t = try trace("X-Request-Id: chosen\r\ntraceparent: \(parent)\r\ntracestate: a=b\r\n", trusted: false)
        let id = text(t.requestID)
        XCTAssertTrue(isHex(id, count: 32), id)
        XCTAssertNotEqual(text(t.traceParent), parent)
        XCTAssertTrue(TraceContext.isValidTraceParent(t.traceParent[...]))
        XCTAssertEqual(text(t.traceID), id, "a new trace's id is the request id")
        XCTAssertNil(t.traceState)
    }

    func testATrustedProxysValidIdsArePassedOn() throws {
        let t = try trace(
            "X-Request-Id: lb-123\r\ntraceparent: \(parent)\r\ntracestate: a=b\r\ntracestate: c=d\r\n", trusted: true)
        XCTAssertEqual(text(t.requestID), "lb-123")
        XCTAssertEqual(text(t.traceParent), parent)
        XCTAssertEqual(t.traceState.map(text), "a=b,c=d")
        XCTAssertEqual(text(t.traceID), "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    func testATrustedProxysInvalidOrRepeatedValuesAreReplaced() throws {
        let t = try trace("X-Request-Id: has space\r\ntraceparent: 00-bad\r\ntracestate: a=b\r\n", trusted: true)
        XCTAssertTrue(isHex(text(t.requestID), count: 32))
        XCTAssertNotEqual(text(t.traceParent), "00-bad")
        XCTAssertNil(t.traceState, "a tracestate without its traceparent is dropped")
        let twice = try trace("traceparent: \(parent)\r\ntraceparent: \(parent)\r\n", trusted: true)
        XCTAssertNotEqual(text(twice.traceParent), parent, "two traceparents: neither is believed")
        let alias = try trace("X_Request_Id: lb-1\r\n", trusted: true)
        XCTAssertNotEqual(text(alias.requestID), "lb-1", "aliases are never believed")
    }

    func testGeneratedIdsDoNotRepeat() {
        var ids = RequestIDGenerator()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let (a, b) = ids.next()
            seen.insert("\(a)-\(b)")
        }
        XCTAssertEqual(seen.count, 10_000)
        var other = RequestIDGenerator()
        XCTAssertNotEqual(other.next().0, ids.next().0, "each loop seeds its own")
    }

    func testTheRewriterDropsEverySpellingAndWritesTheGatewaysOwn() throws {
        let config = try testConfiguration(extra: "underscores_in_headers on;")
        let head = try XCTUnwrap(
            parsedHead(
                "GET / HTTP/1.1\r\nHost: h\r\nX_Request_Id: a\r\nx-request-id: b\r\nTraceParent: \(parent)\r\nTRACESTATE: x=y\r\n\r\n"))
        var ids = RequestIDGenerator()
        let t = RequestTrace.make(head, peerTrusted: false, ids: &ids)
        let out = text(
            HeadRewriter.upstreamRequest(
                head, target: bytes("/"), peerIP: "192.0.2.1", peerTrusted: false, isTLS: false,
                policy: ForwardingPolicy(config: config), defaultHost: "h", keepAlive: true, trace: t))
        XCTAssertEqual(
            out,
            "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 192.0.2.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n"
                + "X-Request-Id: \(text(t.requestID))\r\ntraceparent: \(text(t.traceParent))\r\n\r\n")
    }
}
