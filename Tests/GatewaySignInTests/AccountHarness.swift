// A sign-in context on the memory store with the fake provider, for the account and logout
// flows: requests in as raw heads, one answer out.
import Foundation
import GatewayConfig
import GatewayCore
import GatewayHTTP
import GatewayProxy
import GatewaySessions
import GatewayTestSupport
import XCTest

@testable import GatewaySignIn

final class AccountHarness {
    let clock = ManualClock()
    let store: MemoryStore
    let provider = FakeSignInProvider()
    let context: SignInContext

    init(extra: String = "") throws {
        let config = try ConfigLoader.load(
            text: """
                listen 127.0.0.1:8080;
                public_url http://gateway.test;
                \(extra)
                upstream app { server 127.0.0.1:3000; }
                session { cookie_name __gw; cookie_secret 0123456789abcdef0123456789abcdef-test; }
                provider github { client_id x; client_secret y; }
                location / { auth required; proxy_pass app; }
                """, file: "account.conf")
        store = MemoryStore(clock: clock)
        context = SignInContext(
            config: config, providers: [provider], sessions: store, identities: store, log: .init(label: "test"),
            clock: clock)
    }

    /// `method target` with `fields` (raw header lines) and the cookies, from `client`.
    func send(
        _ method: String, _ target: String, cookie: String? = nil, fields: [String] = [], client: String = "127.0.0.1"
    ) throws -> LocalResponse {
        let lines = fields + (cookie.map { ["Cookie: \($0)"] } ?? []) + (method == "POST" ? ["Content-Length: 0"] : [])
        let raw = "\(method) \(target) HTTP/1.1\r\nHost: gateway.test\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
        let head = try XCTUnwrap(parsedHead(raw))
        var answers: [LocalResponse] = []
        context.answer(
            LocalRequest(
                head: head, target: head.path, peerHost: "127.0.0.1", peerTrusted: false, clientAddress: client,
                locate: { _ in .none })
        ) { answers.append($0) }
        XCTAssertEqual(answers.count, 1, "exactly one answer to \(method) \(target)")
        return try XCTUnwrap(answers.first)
    }

    /// A full sign-in from `client` (in a browser that still holds `replacing`, a session
    /// cookie): the new session cookie's `name=value`.
    func signIn(client: String = "127.0.0.1", replacing: String? = nil) throws -> String {
        let start = try send("GET", "/auth/github?next=/")
        let attempt = try XCTUnwrap(Self.values("Set-Cookie", of: start).last).prefix { $0 != ";" }
        let done = try send(
            "GET", "/auth/github/callback?state=\(FakeSignInProvider.key)&code=good",
            cookie: ([String(attempt)] + (replacing.map { [$0] } ?? [])).joined(separator: "; "), client: client)
        let session = try XCTUnwrap(Self.values("Set-Cookie", of: done).first { $0.hasPrefix("__gw=") })
        return String(session.prefix { $0 != ";" })
    }

    func sessionID(_ cookie: String) -> SessionID? {
        context.sessionCodec.verify(String(cookie.dropFirst("__gw=".count))).flatMap { SessionID($0) }
    }

    func record(_ cookie: String) -> SessionRecord? {
        guard let id = sessionID(cookie) else { return nil }
        var found: SessionRecord?
        store.load(id) { found = try? $0.get() }
        return found
    }

    static func values(_ name: String, of response: LocalResponse) -> [String] {
        response.headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    static func json(_ response: LocalResponse) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }
}
