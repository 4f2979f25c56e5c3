// A flood of unauthenticated sign-in starts costs the gateway no memory and no one else's time.
import Foundation
import GatewayTestSupport
import XCTest

final class SignInFloodTests: IntegrationTestCase {
    /// Starts to send, over `connections` keep-alive connections pipelining `batch` at a time.
    private let target = 100_000
    private let connections = 4
    private let batch = 50
    /// The flood stops here even if `target` is not reached (a shared, loaded debug build).
    private let timeLimit: TimeInterval = 120

    /// One OIDC provider (its start makes no network call: discovery ran once at startup),
    /// the memory store (the one a per-start record would have filled), no access log.
    private func startGateway() throws -> (GatewayProcess, URL, String) {
        let upstream = try startUpstream()
        let issuer = try startMockProvider()
        let port = closedPort()
        let gateway = try startGateway(
            """
            listen 127.0.0.1:\(port);
            workers 1;
            public_url http://127.0.0.1:\(port);
            access_log off;
            error_log stderr info;
            upstream app { server 127.0.0.1:\(upstream.port); }
            session { store memory; cookie_secret 0123456789abcdef0123456789abcdef-test; }
            provider mock { type oidc; issuer \(issuer); client_id gateway-test; client_secret s3cret; }
            location / { auth required; proxy_pass app; }
            """)
        _ = try gateway.child.waitFor("OIDC discovery", in: { gateway.child.stderr }) {
            $0.contains("OIDC discovery succeeded") ? true : nil
        }
        return (gateway, URL(string: "http://127.0.0.1:\(port)")!, issuer)
    }

    func testAFloodOfSignInStartsLeavesMemoryFlatAndOthersServed() throws {
        let (gateway, base, issuer) = try startGateway()
        let port = base.port!
        // Warm up (first allocations, caches) before the baseline is read.
        let warm = try gateway.client()
        for _ in 0..<200 { XCTAssertEqual(try warm.request("GET", "/auth/mock?next=/app/").status, 302) }
        let before = gateway.child.memory().rss

        let flood = Flood(port: port, connections: connections, batch: batch, target: target, timeLimit: timeLimit)
        let started = Date()
        flood.start()
        // A plain request stays quick while the flood runs.
        var slowest: TimeInterval = 0
        while !flood.isDone, Date().timeIntervalSince(started) < timeLimit + 10 {
            let asked = Date()
            XCTAssertEqual(try gateway.client().request("GET", "/healthz").status, 200)
            slowest = max(slowest, Date().timeIntervalSince(asked))
            Thread.sleep(forTimeInterval: 0.5)
        }
        flood.wait()
        let elapsed = Date().timeIntervalSince(started)
        let after = gateway.child.memory()
        let summary =
            "sign-in flood: \(flood.completed) starts in \(String(format: "%.1f", elapsed)) s "
            + "(\(Int(Double(flood.completed) / elapsed))/s) over \(connections) connections; "
            + "RSS \(before / 1024) MiB -> \(after.rss / 1024) MiB (peak \(after.peak / 1024) MiB); "
            + "slowest /healthz \(Int(slowest * 1000)) ms"
        print(summary)
        XCTAssertNil(flood.failure, flood.failure ?? "")
        XCTAssertGreaterThan(flood.completed, 10_000, "the flood barely ran: " + summary)
        XCTAssertLessThanOrEqual(after.rss - before, 50 * 1024, summary)
        XCTAssertLessThan(slowest, 1, summary)
        let asked = Date()
        XCTAssertEqual(try gateway.client().request("GET", "/healthz").status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(asked), 1)

        // A real user still signs in afterwards.
        try setMockUser(issuer: issuer, sub: "flora", claims: ["email": "flora@example.com", "email_verified": true])
        let hops = try signIn(Browser(), base: base, path: "/auth/mock?next=/app/after", sub: "flora")
        XCTAssertEqual(hops.last?.response.status, 200)
        XCTAssertEqual(
            headerValues("X-Auth-Email", in: try XCTUnwrap(hops.last).response.json()), ["flora@example.com"])
    }
}

/// Clients that pipeline sign-in starts until `target` are answered or time runs out.
private final class Flood: @unchecked Sendable {
    private let port: Int, connections: Int, batch: Int, target: Int, timeLimit: TimeInterval
    private let lock = NSLock()
    private var answered = 0
    private var firstFailure: String?
    private let group = DispatchGroup()

    init(port: Int, connections: Int, batch: Int, target: Int, timeLimit: TimeInterval) {
        (self.port, self.connections, self.batch, self.target, self.timeLimit) = (
            port, connections, batch, target, timeLimit
        )
    }

    var completed: Int { lock.withLock { answered } }
    var failure: String? { lock.withLock { firstFailure } }
    var isDone: Bool { group.wait(timeout: .now()) == .success }

    func start() {
        let deadline = Date().addingTimeInterval(timeLimit)
        let share = target / connections
        for _ in 0..<connections {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                do { try run(count: share, until: deadline) } catch {
                    lock.withLock { firstFailure = firstFailure ?? "\(error)" }
                }
            }
        }
    }

    func wait() { group.wait() }

    private func run(count: Int, until deadline: Date) throws {
        let client = try RawHTTPClient(port: port)
        let request = "GET /auth/mock?next=/app/ HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/html\r\n\r\n"
        var done = 0
        while done < count, Date() < deadline {
            let n = min(batch, count - done)
            try client.send(String(repeating: request, count: n))
            for _ in 0..<n {
                let response = try client.readResponse()
                guard response.status == 302, response.header("Set-Cookie")?.hasPrefix("__gateway_state_") == true
                else {
                    throw TestFailure("a start answered \(response.status): \(response.text)")
                }
            }
            done += n
            lock.withLock { answered += n }
        }
    }
}
