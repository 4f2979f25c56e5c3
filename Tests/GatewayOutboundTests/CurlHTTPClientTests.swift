// CurlHTTPClient against a real local server (Fixtures/http_fixture.py): round trips, limits,
// failures, cancellation, and that the loop queue is never blocked. Runs on a real EventLoop,
// once per event backend.
import Foundation
import GatewayCore
import GatewayTestSupport
import XCTest

@testable import GatewayOutbound

class CurlHTTPClientTests: XCTestCase {
    /// The loop's backend; `CurlHTTPClientDispatchBackendTests` runs every test again on `.dispatch`.
    class var backend: EventBackend { .epoll }

    private var server: FixtureProcess?
    private var port = 0
    private var loop: EventLoop!
    private var queue: DispatchQueue { loop.queue }
    private var client: CurlHTTPClient!

    private var base: String { "http://127.0.0.1:\(port)" }

    override func setUpWithError() throws {
        let server = try FixtureServer.start()
        self.server = server
        port = try server.waitForPort("the fixture server's port")
        loop = EventLoop(index: 0, backend: Self.backend)
        client = CurlHTTPClient(loop: loop)
    }

    override func tearDown() {
        let client = self.client
        queue.sync { client?.close() }
        self.client = nil
        server?.stop()
        server = nil
    }

    // MARK: - Round trips

    func testGetRoundTripSendsHeadersAndUserAgent() throws {
        let request = OutboundRequest(
            url: "\(base)/json?a=1", headers: [("X-Test", "abc"), ("Accept", "application/json")])
        let response = try XCTUnwrap(fetch(request)?.get())
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-TYPE"), "application/json")
        XCTAssertEqual(response.headers.first { $0.0 == "Content-Type" }?.1, "application/json", "names as received")
        let echo = try Echo(response)
        XCTAssertEqual(echo.method, "GET")
        XCTAssertEqual(echo.path, "/json?a=1")
        XCTAssertEqual(echo.header("X-Test"), "abc")
        XCTAssertEqual(echo.header("Accept"), "application/json", "a caller's header replaces libcurl's default")
        XCTAssertEqual(echo.header("User-Agent"), "auth-gateway/0.1")
        XCTAssertNil(echo.header("Accept-Encoding"), "no content coding is asked for")
        XCTAssertNil(echo.header("Content-Length"))
        XCTAssertEqual(echo.body, "")
    }

    func testFormPostSendsPercentEncodedBodyAndContentType() throws {
        let request = OutboundRequest.form(
            url: "\(base)/json", fields: [("grant_type", "authorization_code"), ("code", "a b&c=d+é/~")],
            headers: [("Authorization", "Basic Y2xpZW50OnNlY3JldA==")])
        let echo = try Echo(XCTUnwrap(fetch(request)?.get()))
        XCTAssertEqual(echo.method, "POST")
        XCTAssertEqual(echo.header("Content-Type"), "application/x-www-form-urlencoded")
        XCTAssertEqual(echo.header("Authorization"), "Basic Y2xpZW50OnNlY3JldA==")
        XCTAssertEqual(echo.body, "grant_type=authorization_code&code=a%20b%26c%3Dd%2B%C3%A9%2F~")
        XCTAssertEqual(echo.header("Content-Length"), "\(echo.body.utf8.count)")
        XCTAssertNil(echo.header("Expect"), "no 100-continue round trip")
    }

    func testPutWithBodyAndDeleteWithoutBodyUseTheirMethods() throws {
        let body = Array(#"{"k":[1,2]}"#.utf8) + [0, 0xFF]
        let put = try Echo(XCTUnwrap(fetch(OutboundRequest(method: "PUT", url: "\(base)/json", body: body))?.get()))
        XCTAssertEqual(put.method, "PUT")
        XCTAssertEqual(Array(put.body.unicodeScalars.map { UInt8($0.value) }), body, "binary body byte for byte")
        let delete = try Echo(XCTUnwrap(fetch(OutboundRequest(method: "DELETE", url: "\(base)/json"))?.get()))
        XCTAssertEqual(delete.method, "DELETE")
        XCTAssertEqual(delete.body, "")
        let emptyPost = try Echo(XCTUnwrap(fetch(OutboundRequest(method: "POST", url: "\(base)/json"))?.get()))
        XCTAssertEqual(emptyPost.method, "POST")
        XCTAssertEqual(emptyPost.header("Content-Length"), "0")
    }

    func testHeadReturnsHeadersWithoutWaitingForABody() throws {
        let response = try XCTUnwrap(fetch(OutboundRequest(method: "HEAD", url: "\(base)/big?size=100"))?.get())
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Length"), "100")
        XCTAssertEqual(response.body, [])
    }

    func testErrorStatusesAreResponsesNotErrors() throws {
        for code in [204, 404, 500, 503] {
            let response = try XCTUnwrap(fetch(OutboundRequest(url: "\(base)/status?code=\(code)"))?.get())
            XCTAssertEqual(response.status, code)
        }
    }

    func testRedirectIsReturnedNotFollowed() throws {
        let response = try XCTUnwrap(fetch(OutboundRequest(url: "\(base)/redirect"))?.get())
        XCTAssertEqual(response.status, 302)
        XCTAssertEqual(response.header("Location"), "/json")
        XCTAssertEqual(response.body, Array("moved".utf8))
    }

    func testInformationalHeadsAreNotInFinalHeaders() throws {
        let response = try XCTUnwrap(fetch(OutboundRequest(url: "\(base)/early-hints"))?.get())
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("X-Final"), "1")
        XCTAssertNil(response.header("X-Interim"))
        XCTAssertNil(response.header("Link"))
        XCTAssertEqual(response.body, Array("final".utf8))
    }

    func testSequentialRequestsReuseTheConnection() throws {
        let first = try Echo(XCTUnwrap(fetch(OutboundRequest(url: "\(base)/json"))?.get()))
        let second = try Echo(XCTUnwrap(fetch(OutboundRequest(url: "\(base)/json"))?.get()))
        XCTAssertEqual(first.clientPort, second.clientPort)
        XCTAssertEqual(activity().transfers, 0)
        XCTAssertEqual(activity().sockets, 0, "an idle cached connection is not watched")
    }

    func testNewConnectionsThatReuseAClosedFdNumberKeepWorking() throws {
        // Each request closes its connection, so the next socket usually gets the same fd number
        // while the old one's sources are still being cancelled.
        for index in 0..<30 {
            let request = OutboundRequest(url: "\(base)/json?i=\(index)", headers: [("Connection", "close")])
            let echo = try Echo(XCTUnwrap(fetch(request)?.get()))
            XCTAssertEqual(echo.path, "/json?i=\(index)")
        }
        XCTAssertEqual(activity().sockets, 0)
    }

    func testHostNameGoesThroughTheAsynchronousResolver() throws {
        let response = try XCTUnwrap(fetch(OutboundRequest(url: "http://localhost:\(port)/status?code=200"))?.get())
        XCTAssertEqual(response.status, 200)
        let unknown = failure(fetch(OutboundRequest(url: "http://no-such-host.invalid/")))
        XCTAssertEqual(unknown?.kind, .connectFailed)
        XCTAssertEqual(unknown?.host, "no-such-host.invalid")
    }

    func testFiftyConcurrentRequestsEachCompleteExactlyOnce() throws {
        let results = Results<(Int, Int)>()
        let client = self.client!
        let queue = self.queue
        let base = self.base
        queue.async {
            for index in 0..<50 {
                let path = index % 5 == 0 ? "/slow?ms=100" : "/json?i=\(index)"
                client.send(OutboundRequest(url: base + path)) { result in
                    dispatchPrecondition(condition: .onQueue(queue))
                    results.append((index, (try? result.get().status) ?? -1))
                }
            }
        }
        XCTAssertTrue(results.wait(count: 50, timeout: 10))
        Thread.sleep(forTimeInterval: 0.2)
        let all = results.all
        XCTAssertEqual(all.count, 50)
        XCTAssertEqual(Set(all.map(\.0)), Set(0..<50))
        XCTAssertTrue(all.allSatisfy { $0.1 == 200 }, "\(all.filter { $0.1 != 200 })")
        XCTAssertEqual(activity().transfers, 0)
        XCTAssertEqual(activity().sockets, 0)
    }

    func testCompletionCanSendTheNextRequest() throws {
        let results = Results<Int>()
        let client = self.client!
        let base = self.base
        queue.async {
            client.send(OutboundRequest(url: base + "/status?code=201")) { first in
                results.append((try? first.get().status) ?? -1)
                client.send(OutboundRequest(url: base + "/status?code=202")) { second in
                    results.append((try? second.get().status) ?? -1)
                }
            }
        }
        XCTAssertTrue(results.wait(count: 2, timeout: 5))
        XCTAssertEqual(results.all, [201, 202])
    }

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

    // MARK: - Helpers

    /// Sends on the loop and waits, off the loop, for the one completion.
    private func fetch(
        _ request: OutboundRequest, on other: CurlHTTPClient? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> Result<OutboundResponse, OutboundHTTPError>? {
        let results = Results<Result<OutboundResponse, OutboundHTTPError>>()
        let client = other ?? self.client!
        let queue = self.queue
        queue.async {
            client.send(request) { result in
                dispatchPrecondition(condition: .onQueue(queue))
                results.append(result)
            }
        }
        guard results.wait(count: 1, timeout: 10) else {
            XCTFail("no completion", file: file, line: line)
            return nil
        }
        return results.all.first
    }

    private func activity() -> (transfers: Int, sockets: Int) {
        let client = self.client!
        return queue.sync { client.activity }
    }
}

private func failure(_ result: Result<OutboundResponse, OutboundHTTPError>?) -> OutboundHTTPError? {
    guard case .failure(let error)? = result else { return nil }
    return error
}

extension OutboundRequest {
    fileprivate func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// What the fixture's /json saw.
private struct Echo {
    var method: String
    var path: String
    var headers: [(String, String)]
    var body: String
    var clientPort: Int

    init(_ response: OutboundResponse) throws {
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let json = try XCTUnwrap(object)
        method = try XCTUnwrap(json["method"] as? String)
        path = try XCTUnwrap(json["path"] as? String)
        headers = try XCTUnwrap(json["headers"] as? [[String]]).map { ($0[0], $0[1]) }
        body = try XCTUnwrap(json["body"] as? String)
        clientPort = try XCTUnwrap(json["client_port"] as? Int)
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Values appended from the loop, awaited from the test thread.
private final class Results<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [T] = []

    func append(_ value: T) {
        condition.lock()
        values.append(value)
        condition.broadcast()
        condition.unlock()
    }

    var all: [T] {
        condition.lock()
        defer { condition.unlock() }
        return values
    }

    func wait(count: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while values.count < count {
            if !condition.wait(until: deadline) { return values.count >= count }
        }
        return true
    }
}

/// Every test again, on the Dispatch backend (a read and a write source per socket).
final class CurlHTTPClientDispatchBackendTests: CurlHTTPClientTests {
    override class var backend: EventBackend { .dispatch }

    // Test discovery on Linux lists a subclass only if it declares a test; the rest are inherited.
    override func testSocketsComeFromTheLoopAndAreClosedWithTheClient() throws {
        try super.testSocketsComeFromTheLoopAndAreClosedWithTheClient()
    }
}

/// The sockets a client asked its factory for, in order. Touched only on the loop's queue.
private final class MadeSockets {
    var all: [SocketIO] = []
}

/// Starts Fixtures/http_fixture.py and makes certificates for it.
private enum FixtureServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/http_fixture.py").path

    static func start(arguments: [String] = []) throws -> FixtureProcess {
        try FixtureProcess.python(script: script, arguments: arguments)
    }

    /// A fresh self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI.
    static func selfSignedCertificate() throws -> (cert: String, key: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cert = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gateway test CA",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { throw FixtureUnavailable("openssl not found") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureUnavailable("openssl req failed") }
        return (cert, key)
    }
}
