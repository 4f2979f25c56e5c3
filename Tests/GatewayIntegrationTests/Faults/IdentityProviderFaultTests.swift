// The identity provider down (its port closed) or stalled (it accepts and never answers) when a
// sign-in comes back to the callback: a clear error page within the provider HTTP timeout
// (OutboundRequest.defaultTimeout, 10 s, fixed), while public and signed-in requests keep
// their latency.
import Foundation
import GatewayTestSupport
import XCTest

final class IdentityProviderFaultTests: IntegrationTestCase {
    private func makeSetup() throws -> SignedInGateway {
        try startSignedInGateway(store: "redis://127.0.0.1:\(try redisPort())/0")
    }

    /// A sign-in as far as the provider's redirect back: the callback URL, not yet visited.
    private func startSignIn(_ browser: Browser, _ s: SignedInGateway) throws -> URL {
        try s.issuer.loginAs(sub: "second-\(UUID().uuidString.prefix(8))")
        let start = try browser.request("GET", URL(string: "/auth/idp?next=/app/", relativeTo: s.base)!.absoluteURL)
        let back = try browser.request("GET", try XCTUnwrap(start.location, "no redirect to the provider"))
        return try XCTUnwrap(back.location, "the provider did not send the browser back")
    }

    private func assertProviderErrorPage(_ hop: Browser.Hop, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(hop.response.status, 503, file: file, line: line)
        XCTAssertEqual(hop.response.header("Content-Type")?.hasPrefix("text/html"), true, file: file, line: line)
        XCTAssertTrue(hop.response.text.contains("cannot be reached right now"), hop.response.text, file: file, line: line)
        XCTAssertTrue(hop.response.text.contains("/auth/sign_in"), "a way to try again", file: file, line: line)
    }

    func testProviderDownAtTheCallbackGivesAClearErrorPageAtOnce() throws {
        let s = try makeSetup()
        let browser = Browser()
        let callback = try startSignIn(browser, s)
        s.issuer.stop()
        let start = Date()
        let hop = try browser.request("GET", callback)
        let elapsed = Date().timeIntervalSince(start)
        print("identity provider down at the callback: error page after \(Int(elapsed * 1000)) ms")
        assertProviderErrorPage(hop)
        XCTAssertNil(browser.cookies(for: s.base)["__gateway"], "nobody was signed in")
        XCTAssertLessThan(elapsed, 3, "a refused connection needs no timeout")
        XCTAssertEqual(try s.gateway.client().request("GET", "/app/x", headers: s.session).status, 200)
        XCTAssertTrue(s.gateway.child.stderr.contains("token endpoint unreachable"))
    }

    func testProviderStalledAtTheCallbackTimesOutWhileOtherRequestsKeepTheirLatency() throws {
        let s = try makeSetup()
        let browser = Browser()
        let callback = try startSignIn(browser, s)
        s.issuer.stop()
        // Its port again, listening and never accepting: the kernel completes the handshake,
        // the gateway sends the token request, and no answer ever comes.
        let stall = try stallingListener(port: s.issuer.port)
        defer { close(stall) }

        let load = startLoad(on: s, clientsPerTarget: 1)
        defer { load.stop() }
        let start = Date()
        let hop = try browser.request("GET", callback)
        let elapsed = Date().timeIntervalSince(start)
        let samples = load.stop().filter { $0.sentAt > start && $0.answeredAt < start.addingTimeInterval(elapsed) }
        let protected = samples.filter { $0.kind == "protected" }
        let public_ = samples.filter { $0.kind == "public" }
        print(
            "identity provider stalled at the callback: error page after \(Int(elapsed * 1000)) ms; meanwhile "
                + "public \(FaultLoad.summary(public_)), signed-in \(FaultLoad.summary(protected))")
        assertProviderErrorPage(hop)
        XCTAssertGreaterThan(elapsed, 8, "answered before the provider timeout: not this failure")
        XCTAssertLessThan(elapsed, 15, "past the 10 s provider timeout")
        XCTAssertGreaterThan(public_.count, 20)
        XCTAssertGreaterThan(protected.count, 20)
        XCTAssertEqual(Set(samples.map(\.status)), [200], "other requests were not served")
        XCTAssertLessThan(FaultLoad.percentile(public_.map(\.latency), 99), 0.75)
        XCTAssertLessThan(FaultLoad.percentile(protected.map(\.latency), 99), 0.75)
        XCTAssertTrue(s.gateway.child.stderr.contains("token endpoint unreachable"))
    }

    /// Binds 127.0.0.1:`port` and listens without ever accepting.
    private func stallingListener(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestFailure("cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        return fd
    }
}
