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

    var server: FixtureProcess?
    var port = 0
    var loop: EventLoop!
    var queue: DispatchQueue { loop.queue }
    var client: CurlHTTPClient!

    var base: String { "http://127.0.0.1:\(port)" }

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
}

/// Every test again, on the Dispatch backend (a read and a write source per socket).
final class CurlHTTPClientDispatchBackendTests: CurlHTTPClientTests {
    override class var backend: EventBackend { .dispatch }

    // Test discovery on Linux lists a subclass only if it declares a test; the rest are inherited.
    override func testGetRoundTripSendsHeadersAndUserAgent() throws {
        try super.testGetRoundTripSendsHeadersAndUserAgent()
    }
}
