// CurlHTTPClient's limits and failures, its life on the loop, and its values.
import Foundation
import GatewayCore
import GatewayTestSupport
import XCTest

@testable import GatewayOutbound

extension CurlHTTPClientTests {
    // MARK: - Limits and failures

    func testSlowResponseTimesOutWithinBudget() throws {
        let started = Date()
        let result = fetch(OutboundRequest(url: "\(base)/slow?ms=3000", timeout: .milliseconds(300)))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(failure(result)?.kind, .timeout)
        XCTAssertLessThan(elapsed, 2)
        XCTAssertGreaterThanOrEqual(elapsed, 0.25)
    }

    func testClosedPortFailsWithConnectFailed() throws {
        let closed = try LoopbackPort.unused()
        let error = failure(fetch(OutboundRequest(url: "http://127.0.0.1:\(closed)/json")))
        XCTAssertEqual(error?.kind, .connectFailed)
        XCTAssertEqual(error?.host, "127.0.0.1:\(closed)")
    }

    func testResponseOverTheLimitFails() throws {
        for chunked in ["0", "1"] {
            let over = OutboundRequest(url: "\(base)/big?size=5000&chunked=\(chunked)", maxResponseBytes: 4096)
            XCTAssertEqual(failure(fetch(over))?.kind, .responseTooLarge, "chunked=\(chunked)")
            let exact = OutboundRequest(url: "\(base)/big?size=4096&chunked=\(chunked)", maxResponseBytes: 4096)
            XCTAssertEqual(try fetch(exact)?.get().body.count, 4096, "chunked=\(chunked)")
        }
        let defaultLimit = OutboundRequest(url: "\(base)/big?size=\((1 << 20) + 1)&chunked=1")
        XCTAssertEqual(failure(fetch(defaultLimit))?.kind, .responseTooLarge)
    }

    func testHTTPSToAPlainHTTPPortFailsWithTLSError() throws {
        let error = failure(fetch(OutboundRequest(url: "https://127.0.0.1:\(port)/json")))
        XCTAssertEqual(error?.kind, .tlsFailed)
        let closed = try LoopbackPort.unused()
        XCTAssertEqual(failure(fetch(OutboundRequest(url: "https://127.0.0.1:\(closed)/")))?.kind, .connectFailed)
    }

    func testHTTPSVerifiesAgainstAPrivateCAAndRejectsItWithout() throws {
        let pki = try FixtureServer.selfSignedCertificate()
        let tlsServer = try FixtureServer.start(arguments: ["--cert", pki.cert, "--key", pki.key])
        defer { tlsServer.stop() }
        let tlsPort = try tlsServer.waitForPort("the TLS fixture server's port")
        let trusting = CurlHTTPClient(loop: loop, caFile: pki.cert)
        defer { queue.sync { trusting.close() } }
        for host in ["127.0.0.1", "localhost"] {
            let request = OutboundRequest(url: "https://\(host):\(tlsPort)/json", headers: [("X-Over", "tls")])
            let echo = try Echo(XCTUnwrap(fetch(request, on: trusting)?.get()))
            XCTAssertEqual(echo.header("X-Over"), "tls")
        }
        let untrusted = failure(fetch(OutboundRequest(url: "https://127.0.0.1:\(tlsPort)/json")))
        XCTAssertEqual(untrusted?.kind, .tlsFailed, "the system CAs do not know the private CA")
        XCTAssertTrue(untrusted?.description.contains("certificate") ?? false, untrusted?.description ?? "")
    }

    func testMissingCAFileFailsTLSInsteadOfTrustingAnything() throws {
        let strict = CurlHTTPClient(loop: loop, caFile: "/nonexistent/ca.pem")
        defer { queue.sync { strict.close() } }
        let error = failure(fetch(OutboundRequest(url: "https://127.0.0.1:\(port)/json"), on: strict))
        XCTAssertEqual(error?.kind, .tlsFailed)
    }

    func testInvalidRequestsFailAsynchronouslyOnTheQueue() throws {
        let cases: [(OutboundRequest, OutboundHTTPError.Kind)] = [
            (OutboundRequest(url: "ftp://127.0.0.1/x"), .invalidURL),
            (OutboundRequest(url: "file:///etc/passwd"), .invalidURL),
            (OutboundRequest(url: "not a url"), .invalidURL),
            (OutboundRequest(url: "/relative/path"), .invalidURL),
            (OutboundRequest(url: "\(base)/json", headers: [("X-Evil", "a\r\nX-Injected: 1")]), .invalidRequest),
            (OutboundRequest(url: "\(base)/json", headers: [("Bad Name", "x")]), .invalidRequest),
            (OutboundRequest(method: "GET /x", url: "\(base)/json"), .invalidRequest),
        ]
        for (request, kind) in cases {
            let results = Results<OutboundHTTPError.Kind?>()
            let client = self.client!
            let queue = self.queue
            queue.async {
                var returned = false
                client.send(request) { result in
                    dispatchPrecondition(condition: .onQueue(queue))
                    XCTAssertTrue(returned, "completion ran inside send")
                    results.append(failure(result)?.kind)
                }
                returned = true
            }
            XCTAssertTrue(results.wait(count: 1, timeout: 5))
            XCTAssertEqual(results.all, [kind], request.url)
        }
    }

    func testErrorDescriptionNamesTheHostButNoSecrets() throws {
        let request = OutboundRequest(
            url: "\(base)/slow?ms=2000&code=SECRETCODE", headers: [("Authorization", "Bearer SECRETTOKEN")],
            body: Array("client_secret=SECRETBODY".utf8), timeout: .milliseconds(200))
        let error = try XCTUnwrap(failure(fetch(request)))
        XCTAssertEqual(error.kind, .timeout)
        XCTAssertTrue(error.description.contains("127.0.0.1:\(port)"), error.description)
        for secret in ["SECRET", "slow", "Bearer", "?"] {
            XCTAssertFalse(error.description.contains(secret), error.description)
        }
    }

    // MARK: - The loop

    func testLoopQueueStaysResponsiveDuringSlowRequest() throws {
        let results = Results<Int>()
        let client = self.client!
        let base = self.base
        queue.async {
            client.send(OutboundRequest(url: base + "/slow?ms=1500")) { results.append((try? $0.get().status) ?? -1) }
        }
        XCTAssertTrue(waitUntil(timeout: 5) { activity().sockets > 0 }, "the slow request is on the wire")
        for _ in 0..<10 {
            let started = DispatchTime.now()
            let ran = DispatchSemaphore(value: 0)
            queue.async { ran.signal() }
            XCTAssertEqual(ran.wait(timeout: .now() + 1), .success)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            XCTAssertLessThan(elapsed, 50, "the loop was blocked for \(elapsed) ms")
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(results.all, [], "still in flight while the loop ran other work")
        XCTAssertTrue(results.wait(count: 1, timeout: 5))
        XCTAssertEqual(results.all, [200])
    }

    func testCloseCancelsInFlightTransfersExactlyOnce() throws {
        let results = Results<OutboundHTTPError.Kind?>()
        let client = self.client!
        let base = self.base
        queue.async {
            for _ in 0..<3 {
                client.send(OutboundRequest(url: base + "/slow?ms=2000")) { results.append(failure($0)?.kind) }
            }
        }
        XCTAssertTrue(waitUntil(timeout: 5) { activity().sockets == 3 }, "all three are on the wire")
        queue.sync { client.close() }
        XCTAssertEqual(results.all, [.cancelled, .cancelled, .cancelled], "completed during close")
        queue.sync { client.close() }
        queue.async { client.send(OutboundRequest(url: base + "/json")) { results.append(failure($0)?.kind) } }
        XCTAssertTrue(results.wait(count: 4, timeout: 5))
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(results.all, [.cancelled, .cancelled, .cancelled, .cancelled])
        XCTAssertEqual(queue.sync { client.activity.transfers }, 0)
    }

    func testReleasingTheClientWithoutCloseCancelsItsTransfers() throws {
        let results = Results<OutboundHTTPError.Kind?>()
        let queue = self.queue
        let loop = self.loop!
        let base = self.base
        weak var released: CurlHTTPClient?
        do {
            let transient = CurlHTTPClient(loop: loop)
            released = transient
            queue.sync {
                transient.send(OutboundRequest(url: base + "/slow?ms=2000")) { result in
                    dispatchPrecondition(condition: .onQueue(queue))
                    results.append(failure(result)?.kind)
                }
            }
            let onTheWire = waitUntil(timeout: 5) { queue.sync { transient.activity.sockets > 0 } }
            XCTAssertTrue(onTheWire, "the slow request is on the wire")
        }
        queue.sync {}
        XCTAssertNil(released, "sources and transfers must not keep the client alive")
        XCTAssertTrue(results.wait(count: 1, timeout: 1))
        XCTAssertEqual(results.all, [.cancelled])
    }

    func testSocketsComeFromTheLoopAndAreClosedWithTheClient() throws {
        let loop = self.loop!
        let made = MadeSockets()
        let watched = CurlHTTPClient(queue: queue) { fd, onReadable, onWritable in
            let io = loop.makeSocketIO(fd: fd, onReadable: onReadable, onWritable: onWritable)
            made.all.append(io)
            return io
        }
        XCTAssertEqual(try fetch(OutboundRequest(url: "\(base)/json"), on: watched)?.get().status, 200)
        XCTAssertEqual(try fetch(OutboundRequest(url: "\(base)/json"), on: watched)?.get().status, 200)
        queue.sync {
            XCTAssertFalse(made.all.isEmpty, "libcurl's sockets are watched through the loop's factory")
            XCTAssertEqual(
                made.all.allSatisfy { $0 is DispatchSocketIO }, type(of: self).backend == .dispatch,
                "the loop's own backend watches them")
            XCTAssertEqual(made.all.filter { !$0.isClosed }.count, watched.activity.sockets)
            watched.close()
            XCTAssertTrue(made.all.allSatisfy(\.isClosed), "closing the client closes every dup it made")
            XCTAssertEqual(watched.activity.sockets, 0)
        }
    }

    // MARK: - Values

    func testFormEncodingFollowsRFC3986() {
        let request = OutboundRequest.form(
            url: "https://idp.example/token", fields: [("a b", "~-._*'()!+"), ("", "ü")])
        XCTAssertEqual(String(decoding: request.body ?? [], as: UTF8.self), "a%20b=~-._%2A%27%28%29%21%2B&=%C3%BC")
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.header("content-type"), "application/x-www-form-urlencoded")
        let custom = OutboundRequest.form(url: "https://x/", fields: [], headers: [("content-type", "text/plain")])
        XCTAssertEqual(custom.headers.map(\.0), ["content-type"], "a caller's Content-Type wins")
        XCTAssertEqual(request.timeout, .seconds(10))
        XCTAssertEqual(request.maxResponseBytes, 1 << 20)
    }

    func testResponseHeaderLookupIsCaseInsensitiveAndFirst() {
        let response = OutboundResponse(status: 200, headers: [("Set-Cookie", "a"), ("set-cookie", "b")], body: [])
        XCTAssertEqual(response.header("SET-COOKIE"), "a")
        XCTAssertNil(response.header("Cookie"))
    }
}
