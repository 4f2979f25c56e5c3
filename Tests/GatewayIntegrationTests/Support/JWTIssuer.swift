// The joserfc issuer (Fixtures/jwt_issuer.py): discovery, JWKS, sign-in, and tokens on demand.
import Foundation
import GatewayTestSupport
import XCTest

final class JWTIssuer {
    let child: FixtureProcess
    let port: Int
    var issuer: String { "http://127.0.0.1:\(port)" }

    init(directory: URL) throws {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [TestPaths.fixtures.appendingPathComponent("jwt_issuer.py").path, "--port", "0"],
            directory: directory, name: "jwt-issuer-\(UUID().uuidString.prefix(6))")
        self.child = child
        port = try child.waitForPort("the JWT issuer")
    }

    private func get(_ path: String, _ query: [String: String] = [:]) throws -> TestResponse {
        var parts = URLComponents()
        parts.path = path
        parts.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return try RawHTTPClient(port: port).request("GET", parts.string!, host: "127.0.0.1:\(port)")
    }

    /// A token made by joserfc (see `mint` in the fixture for the knobs).
    func mint(_ query: [String: String]) throws -> String {
        let response = try get("/mint", query)
        XCTAssertEqual(response.status, 200)
        return response.text
    }

    /// Who the next sign-in is, and the `sid` its ID token carries.
    func loginAs(sub: String, sid: String? = nil, email: String? = nil) throws {
        var query = ["sub": sub]
        query["sid"] = sid
        query["email"] = email
        XCTAssertEqual(try get("/login_as", query).status, 200)
    }

    var jwksFetches: Int {
        get throws { try get("/stats").json()["jwks_fetches"] as? Int ?? -1 }
    }

    /// The assertion checked by joserfc against `jwksURL`: its claims, or the fixture's error.
    func verifyAssertion(_ token: String, jwksURL: String, audience: String) throws -> (
        status: Int, json: [String: Any]
    ) {
        let body = try JSONSerialization.data(withJSONObject: [
            "token": token, "jwks_url": jwksURL, "audience": audience,
        ])
        let response = try RawHTTPClient(port: port).request(
            "POST", "/verify_assertion", headers: [("Content-Type", "application/json")], body: Array(body),
            host: "127.0.0.1:\(port)")
        return (response.status, try response.json())
    }

    func stop() { child.stop() }
}

extension IntegrationTestCase {
    func startJWTIssuer() throws -> JWTIssuer {
        let issuer = try JWTIssuer(directory: directory)
        track(issuer.child)
        return issuer
    }

    /// Signs `browser` in through the issuer's provider block `name` (no form: /authorize answers).
    @discardableResult
    func signInThroughIssuer(_ browser: Browser, base: URL, provider name: String = "idp", next: String = "/app/")
        throws -> Browser.Hop
    {
        let hops = try browser.follow(URL(string: "/auth/\(name)?next=\(next)", relativeTo: base)!.absoluteURL)
        let last = try XCTUnwrap(hops.last)
        guard last.response.status == 200 else {
            throw TestFailure("sign-in ended with \(hops.map { "\($0.response.status) \($0.url)" })")
        }
        return last
    }
}
