// Runs the GitHub / Facebook / generic OAuth 2 emulator (GatewayIntegrationTests/Fixtures/api_emulator.py)
// and talks to it through a real CurlHTTPClient on a loop queue, as a browser and as a test.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayOutbound
import GatewayTestSupport
import XCTest

/// One emulator process, ended by its PID in `stop()`.
final class APIEmulator {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GatewayIntegrationTests/Fixtures/api_emulator.py").path

    let process: FixtureProcess
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init(arguments: [String] = []) throws {
        process = try FixtureProcess.python(script: Self.script, arguments: arguments)
        port = try process.waitForPort("the API emulator's port")
    }

    func stop() { process.stop() }
}

/// Carries a result from the loop queue to the test thread.
final class LoopResult<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: T?

    func set(_ value: T) {
        self.value = value
        done.signal()
    }

    func wait(seconds: Int = 15) throws -> T {
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success, let value else {
            throw FixtureUnavailable("no answer within \(seconds) s")
        }
        return value
    }
}

/// Drives providers against the emulator on a real loop: begin, the browser's visit, finish.
class PresetTestCase: XCTestCase {
    /// A real loop (epoll backend), so the client runs as it does in the gateway.
    let loop = EventLoop(index: 0)
    var queue: DispatchQueue { loop.queue }
    let redirectURI = "https://gateway.example.com/auth/preset/callback"
    var emulator: APIEmulator!
    var http: CurlHTTPClient!

    /// Extra emulator arguments for the whole suite.
    var emulatorArguments: [String] { [] }

    override func setUpWithError() throws {
        emulator = try APIEmulator(arguments: emulatorArguments)
        http = CurlHTTPClient(loop: loop)
    }

    override func tearDown() {
        let http = self.http
        queue.sync { http?.close() }
        emulator?.stop()
    }

    func fetch(_ request: OutboundRequest) throws -> OutboundResponse {
        let result = LoopResult<Result<OutboundResponse, OutboundHTTPError>>()
        queue.async { [http = http!] in http.send(request) { result.set($0) } }
        return try result.wait().get()
    }

    /// Stores a user at the emulator (`PUT /users/NAME`).
    func putUser(_ name: String, _ document: [String: Any]) throws {
        let body = try JSONSerialization.data(withJSONObject: document)
        let response = try fetch(
            OutboundRequest(
                method: "PUT", url: "\(emulator.base)/users/\(name)", headers: [("Content-Type", "application/json")],
                body: Array(body)))
        XCTAssertEqual(response.status, 204)
    }

    /// The requests the emulator saw, oldest first.
    func seenRequests(path: String) throws -> [[String: Any]] {
        let response = try fetch(OutboundRequest(url: "\(emulator.base)/_requests"))
        let all = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return all.filter { $0["path"] as? String == path }
    }

    func begin<P: SignInProvider & Sendable>(_ provider: P) throws -> SignInStart {
        let result = LoopResult<Result<SignInStart, AuthError>>()
        queue.async { [redirectURI] in provider.begin(redirectURI: redirectURI) { result.set($0) } }
        return try result.wait().get()
    }

    /// What a browser does at the authorization URL: loads the consent form, submits it, and
    /// returns the query of the redirect back to `redirectURI`.
    func visit(_ url: String, login: String, decision: String = "allow", extra: [(String, String)] = [])
        throws -> [String: String]
    {
        let page = try fetch(OutboundRequest(url: url, headers: [("Accept", "text/html")]))
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(String(decoding: page.body, as: UTF8.self).contains("<form"), "the consent form")
        let submitted = try fetch(
            .form(
                url: url, fields: [("login", login), ("decision", decision)] + extra, headers: [("Accept", "text/html")]
            ))
        XCTAssertEqual(submitted.status, 302)
        let location = try XCTUnwrap(submitted.header("Location"))
        XCTAssertTrue(location.hasPrefix(redirectURI + "?"), location)
        var query: [String: String] = [:]
        for item in URLComponents(string: location)?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return query
    }

    func finish<P: SignInProvider & Sendable>(
        _ provider: P, query: [String: String], remembered: SignInStart.Remembered
    ) throws -> Result<VerifiedIdentity, AuthError> {
        let result = LoopResult<Result<VerifiedIdentity, AuthError>>()
        queue.async { [redirectURI] in
            provider.finish(query: query, remembered: remembered, redirectURI: redirectURI) { result.set($0) }
        }
        return try result.wait()
    }

    /// begin → the browser's visit → finish, as `login`.
    func signIn<P: SignInProvider & Sendable>(
        _ provider: P, as login: String, extra: [(String, String)] = []
    ) throws -> Result<VerifiedIdentity, AuthError> {
        let start = try begin(provider)
        let query = try visit(start.authorizationURL, login: login, extra: extra)
        XCTAssertEqual(query["state"], start.key, "the state comes back as the key")
        return try finish(provider, query: query, remembered: start.remembered)
    }

    /// The emulator's client registration, with a type's default scopes and `token_auth`.
    func client(
        secret: String = "client-secret", tokenAuth: TokenAuthMethod, scopes: [String]
    ) -> OAuthClientSettings {
        OAuthClientSettings(clientID: "client-id", clientSecret: secret, tokenAuth: tokenAuth, scopes: scopes)
    }

    /// A validated block named `name`, as the config validator would hand it over.
    func config(_ name: String, _ settings: ProviderSettings) -> ProviderConfig {
        ProviderConfig(
            name: name, displayName: name, settings: settings,
            location: SourceLocation(file: "gateway.conf", line: 1, column: 1))
    }
}
