// OIDC Back-Channel Logout: two gateways share Redis; a logout token posted to one ends the
// named session everywhere, and nothing else. Logout tokens are made by joserfc.
import Foundation
import GatewayTestSupport
import XCTest

final class BackChannelLogoutTests: IntegrationTestCase {
    private func post(_ gateway: GatewayProcess, token: String, provider: String = "idp") throws -> TestResponse {
        let body = "logout_token=" + Browser.encode(token)
        return try gateway.client().request(
            "POST", "/auth/\(provider)/backchannel_logout",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    private func status(_ browser: Browser, _ base: URL) throws -> Int {
        // A browser: 200 with its session, 302 to the sign-in page without.
        try browser.request("GET", URL(string: "/app/", relativeTo: base)!.absoluteURL).response.status
    }

    /// The other instance's session cache drops the session when the store's invalidation
    /// reaches it: within a second (issue 11), not before the logout's answer.
    private func endsWithinASecond(_ browser: Browser, _ base: URL) -> Bool {
        waitUntil(timeout: 1, interval: 0.02) { (try? status(browser, base)) == 302 }
    }

    func testALogoutTokenEndsExactlyTheNamedSessionOnEveryInstanceAndIsTakenOnce() throws {
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let store = "redis://127.0.0.1:\(try redisPort())/0"
        let provider = "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }"
        let (a, baseA) = try startSignInGateway(upstreamPort: upstream.port, providers: provider, store: store)
        let (b, _) = try startSignInGateway(upstreamPort: upstream.port, providers: provider, store: store)
        let sub = "bcl-\(UUID().uuidString.prefix(8))"
        let (sid1, sid2) = ("sid-1-\(sub)", "sid-2-\(sub)")
        let first = Browser(), second = Browser()
        try issuer.loginAs(sub: sub, sid: sid1)
        try signInThroughIssuer(first, base: baseA)
        try issuer.loginAs(sub: sub, sid: sid2)
        try signInThroughIssuer(second, base: baseA)
        XCTAssertEqual(try status(first, baseA), 200)
        XCTAssertEqual(try status(second, baseA), 200)

        let token = try issuer.mint(["kind": "logout", "sid": sid1, "sub": sub])
        let answer = try post(b, token: token)
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.header("Cache-Control"), "no-store")
        XCTAssertTrue(endsWithinASecond(first, baseA), "the named session still stands on the other instance")
        XCTAssertEqual(try status(second, baseA), 200, "a session that was not named ended")

        // The same jti again, on either instance: refused.
        for gateway in [a, b] {
            let replay = try post(gateway, token: token)
            XCTAssertEqual(replay.status, 400)
            XCTAssertEqual(try replay.json()["error"] as? String, "invalid_request")
        }

        // Only a sub: every session of that identity ends.
        XCTAssertEqual(try post(a, token: try issuer.mint(["kind": "logout", "sub": sub])).status, 200)
        XCTAssertTrue(endsWithinASecond(second, baseA))
        XCTAssertFalse(try b.settledLogs().contains(token), "a logout token reached the logs")
    }

    func testInvalidLogoutTokensGet400() throws {
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let (gateway, _) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }",
            store: "memory")
        for variant in ["nonce", "no_events", "no_jti", "wrong_aud", "expired_iat"] {
            let response = try post(
                gateway, token: try issuer.mint(["kind": "logout", "sid": "s", "variant": variant]))
            XCTAssertEqual(response.status, 400, "\(variant): \(response.text)")
            XCTAssertNotNil(try response.json()["error_description"], variant)
        }
        // Neither sid nor sub; a bearer-style token; a missing form field.
        XCTAssertEqual(try post(gateway, token: try issuer.mint(["kind": "logout"])).status, 400)
        XCTAssertEqual(try post(gateway, token: try issuer.mint(["kind": "bearer", "aud": "gateway"])).status, 400)
        let empty = try gateway.client().request(
            "POST", "/auth/idp/backchannel_logout", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("x=1".utf8))
        XCTAssertEqual(empty.status, 400)
        XCTAssertEqual(
            try post(gateway, token: try issuer.mint(["kind": "logout", "sid": "s", "alg": "EdDSA"])).status, 200)
    }
}
