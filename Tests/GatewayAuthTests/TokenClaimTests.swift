// The claim rules of bearer tokens (exact iss and aud, time) and of logout tokens (§2.6).
import GatewayAuth
import XCTest

final class TokenClaimTests: XCTestCase {
    private let now = 1_800_000_000.0
    private let issuer = IssuerRule.exact("https://idp.example.test")

    private func logout(_ extra: [String: JSONValue?] = [:]) -> JWTClaims {
        var members: [String: JSONValue] = [
            "iss": "https://idp.example.test", "aud": "gateway", "iat": .number(now - 5), "jti": "j-1", "sid": "s-1",
            "events": .object([LogoutToken.event: .object([:])]),
        ]
        for (key, value) in extra { members[key] = value }
        return JWTClaims(members)
    }

    private func check(_ claims: JWTClaims) throws(JWTError) -> LogoutToken {
        try LogoutToken(claims: claims, issuerRule: issuer, clientID: "gateway", now: now, skew: 60)
    }

    func testAValidLogoutTokenNamesItsSIDAndItsReplayWindow() throws {
        let token = try check(logout(["exp": .number(now + 120), "sub": "alice"]))
        XCTAssertEqual(token.sid, "s-1")
        XCTAssertEqual(token.sub, "alice")
        XCTAssertEqual(token.jti, "j-1")
        XCTAssertEqual(token.replayWindow, 180, "until exp, plus the skew")
        XCTAssertEqual(try check(logout()).replayWindow, 655, "without exp: iat + 10 minutes, plus the skew")
        XCTAssertNil(try check(logout(["sid": nil, "sub": "alice"])).sid)
    }

    func testLogoutTokenRulesEachHaveTheirAnswer() {
        let cases: [(JWTError, [String: JSONValue?])] = [
            (.issuerMismatch, ["iss": "https://evil.example"]),
            (.audienceMismatch, ["aud": "someone-else"]),
            (.missingClaim("iat"), ["iat": nil]),
            (.issuedInFuture, ["iat": .number(now + 3600)]),
            (.expired, ["iat": .number(now - 3600)]),
            (.expired, ["exp": .number(now - 120)]),
            (.missingClaim("jti"), ["jti": nil]),
            (.missingClaim("events"), ["events": nil]),
            (.missingClaim("events"), ["events": .object(["http://example.com/other": .object([:])])]),
            (.missingClaim("events"), ["events": .object([LogoutToken.event: "yes"])]),
            (.malformed("a logout token must not carry a nonce"), ["nonce": "n"]),
            (.missingClaim("sid"), ["sid": nil]),
            (.missingClaim("sid"), ["sid": "", "sub": ""]),
        ]
        for (expected, extra) in cases {
            JOSETest.assertThrows(expected) { () throws(JWTError) in try check(logout(extra)) }
        }
    }

    func testBearerTimesAndAudiences() {
        let base: [String: JSONValue] = ["aud": .array(["other", "api"]), "exp": .number(now + 10)]
        XCTAssertNoThrow(try TokenClaimRules.checkAudience(JWTClaims(base), "api"))
        JOSETest.assertThrows(.audienceMismatch) { () throws(JWTError) in
            try TokenClaimRules.checkAudience(JWTClaims(base), "ap")
        }
        JOSETest.assertThrows(.missingClaim("aud")) { () throws(JWTError) in
            try TokenClaimRules.checkAudience(JWTClaims(["aud": .array(["api", 1])]), "api")
        }
        func times(_ members: [String: JSONValue]) throws(JWTError) {
            try TokenClaimRules.checkTimes(
                JWTClaims(members), now: now, skew: 60, requireExpiry: true, requireIssuedAt: false)
        }
        JOSETest.assertThrows(.missingClaim("exp")) { () throws(JWTError) in try times([:]) }
        JOSETest.assertThrows(.missingClaim("exp")) { () throws(JWTError) in try times(["exp": "soon"]) }
        JOSETest.assertThrows(.expired) { () throws(JWTError) in try times(["exp": .number(now - 61)]) }
        XCTAssertNoThrow(try times(["exp": .number(now - 59)]), "within the skew")
        JOSETest.assertThrows(.notYetValid) { () throws(JWTError) in
            try times(["exp": .number(now + 600), "nbf": .number(now + 61)])
        }
        JOSETest.assertThrows(.issuedInFuture) { () throws(JWTError) in
            try times(["exp": .number(now + 600), "iat": .number(now + 61)])
        }
    }
}
