// Shared setup for the Twitter provider suites: the oauthlib-backed provider fixture on loopback,
// a real CurlHTTPClient on a loop queue, and a "browser" that answers the authorize forms.
import Dispatch
import Foundation
import GatewayConfig
import GatewayCore
import GatewayOutbound
import GatewayTestSupport
import XCTest

@testable import GatewayAuth

/// Carries a completion's value from the loop queue to the test thread (the expectation orders them).
final class TwitterResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Subclassed by the Twitter suites; holds no tests itself. Each test gets a fresh fixture process.
class TwitterFixtureTestCase: XCTestCase {
    static let consumerKey = "gateway-consumer-key"
    static let consumerSecret = "gateway-consumer-secret"
    static let clientID = "gateway-client-id"
    static let clientSecret = "gateway-client-secret"
    /// Never called: the tests read the provider's redirect and hand its query to `finish`.
    let redirectURI = "http://127.0.0.1:9/auth/twitter/callback?from=test"
    /// A real loop (epoll backend), so the client runs as it does in the gateway.
    let loop = EventLoop(index: 0)
    var queue: DispatchQueue { loop.queue }
    private var server: FixtureProcess?
    private(set) var port = 0
    private(set) var http: CurlHTTPClient!

    var base: String { "http://127.0.0.1:\(port)" }

    /// Fixtures/oauth1_provider.py in the integration tests' fixtures, beside this target's folder.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GatewayIntegrationTests/Fixtures/oauth1_provider.py").path

    override func setUpWithError() throws {
        let server = try FixtureProcess.python(
            script: Self.script,
            arguments: [
                "--consumer-key", Self.consumerKey, "--consumer-secret", Self.consumerSecret,
                "--client-id", Self.clientID, "--client-secret", Self.clientSecret,
            ])
        self.server = server
        port = try server.waitForPort("oauth1_provider.py's port (is oauthlib installed in GATEWAY_TEST_PYTHON?)")
        http = CurlHTTPClient(loop: loop)
    }

    override func tearDown() {
        if let http { queue.sync { http.close() } }
        http = nil
        server?.stop()
        server = nil
    }

    /// A validated `provider twitter` block with these settings.
    func config(_ settings: ProviderSettings) -> ProviderConfig {
        ProviderConfig(
            name: "twitter", displayName: "Twitter", settings: settings,
            location: SourceLocation(file: "gateway.conf", line: 1, column: 1))
    }

    /// Runs `body` on the loop queue and waits for the value it completes with.
    func onLoop<T>(
        _ body: @escaping @Sendable (@escaping @Sendable (T) -> Void) -> Void
    ) -> T? {
        let box = TwitterResultBox<T>()
        let done = expectation(description: "completion")
        let queue = self.queue
        queue.async {
            body { value in
                dispatchPrecondition(condition: .onQueue(queue))
                box.value = value
                done.fulfill()
            }
        }
        wait(for: [done], timeout: 10)
        return box.value
    }

    func begin(_ provider: any SignInProvider & Sendable) throws -> SignInStart {
        let redirectURI = self.redirectURI
        let result = onLoop { done in provider.begin(redirectURI: redirectURI, completion: done) }
        return try XCTUnwrap(result).get()
    }

    func finish(_ provider: any SignInProvider & Sendable, query: [String: String], remembered: SignInStart.Remembered)
        -> Result<VerifiedIdentity, AuthError>?
    {
        let redirectURI = self.redirectURI
        return onLoop { done in
            provider.finish(query: query, remembered: remembered, redirectURI: redirectURI, completion: done)
        }
    }

    /// One request through the test's own CurlHTTPClient (the "browser", which does not follow redirects).
    func fetch(_ request: OutboundRequest) throws -> OutboundResponse {
        let http = self.http!
        let result = onLoop { done in http.send(request, completion: done) }
        return try XCTUnwrap(result).get()
    }

    /// Loads the provider's authorize page, checks it is the form, submits it as `user` with
    /// Authorize (or Cancel), and returns the query of the redirect back to the gateway.
    func answerAuthorizeForm(_ authorizationURL: String, user: String = "alice", authorize: Bool = true) throws
        -> [String: String]
    {
        let page = try fetch(OutboundRequest(url: authorizationURL))
        XCTAssertEqual(page.status, 200, String(decoding: page.body, as: UTF8.self))
        XCTAssertTrue(String(decoding: page.body, as: UTF8.self).contains("<form method=post"))
        let path = String(authorizationURL.dropFirst(base.count).prefix { $0 != "?" })
        let query =
            authorizationURL.split(separator: "?", maxSplits: 1).last.map { OAuth1Signature.formDecode($0) } ?? []
        let submitted = try fetch(
            .form(url: base + path, fields: query + [("user", user), ("action", authorize ? "authorize" : "deny")]))
        XCTAssertEqual(submitted.status, 302)
        let location = try XCTUnwrap(submitted.header("Location"))
        XCTAssertTrue(location.hasPrefix("http://127.0.0.1:9/auth/twitter/callback?from=test&"), location)
        let pairs = OAuth1Signature.formDecode(location.split(separator: "?", maxSplits: 1).last ?? "")
        return Dictionary(pairs) { first, _ in first }
    }

    /// Sets a user at the fixture, as oidc-provider-mock's `PUT /users/{sub}` does.
    func setUser(_ screenName: String, _ fields: [String: String]) throws {
        let body = try JSONSerialization.data(withJSONObject: fields)
        let response = try fetch(
            OutboundRequest(
                method: "PUT", url: "\(base)/users/\(screenName)", headers: [("Content-Type", "application/json")],
                body: Array(body)))
        XCTAssertEqual(response.status, 204)
    }

    /// What the fixture saw, in order: method, path and the Authorization scheme.
    func requestLog() throws -> [(method: String, path: String, scheme: String)] {
        let body = try fetch(OutboundRequest(url: "\(base)/log")).body
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body)) as? [[String: String]])
        return entries.map { ($0["method"] ?? "", $0["path"] ?? "", $0["authorization"] ?? "") }
    }
}
