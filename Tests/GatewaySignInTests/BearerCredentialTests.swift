// Reading `Authorization: Bearer` off a parsed head, and the RFC 6750 challenge's quoting.
import GatewayHTTP
import XCTest

@testable import GatewaySignIn

final class BearerCredentialTests: XCTestCase {
    private func credential(_ fields: [(String, String)]) -> BearerCredential {
        var raw = "GET /api/ HTTP/1.1\r\nHost: gateway\r\n"
        for (name, value) in fields { raw += "\(name): \(value)\r\n" }
        raw += "\r\n"
        var parser = HTTPRequestParser()
        guard case .complete(let head, _) = Array(raw.utf8).withUnsafeBytes({ parser.parse($0) }) else {
            XCTFail("did not parse: \(raw)")
            return .absent
        }
        return BearerCredential(head.headers)
    }

    func testReadsTheTokenOfTheBearerScheme() {
        XCTAssertEqual(credential([("Authorization", "Bearer abc.def.ghi")]), .token("abc.def.ghi"))
        XCTAssertEqual(credential([("authorization", "bEaReR  a-b_c~d+e/f=")]), .token("a-b_c~d+e/f="))
    }

    func testOtherSchemesAndNoHeaderAreForTheSession() {
        XCTAssertEqual(credential([]), .absent)
        XCTAssertEqual(credential([("Authorization", "Basic dXNlcjpwdw==")]), .absent)
        XCTAssertEqual(credential([("Authorization", "Bearerx abc")]), .absent)
    }

    func testMalformedBearerCredentialsAreRefusedNotIgnored() {
        XCTAssertEqual(credential([("Authorization", "Bearer")]), .malformed)
        XCTAssertEqual(credential([("Authorization", "Bearer a b")]), .malformed)
        XCTAssertEqual(credential([("Authorization", "Bearer a\"b")]), .malformed)
        // Two fields: which one would count is ambiguous, so neither does.
        XCTAssertEqual(credential([("Authorization", "Bearer a"), ("Authorization", "Bearer b")]), .malformed)
        XCTAssertEqual(credential([("Authorization", "Basic x"), ("Authorization", "Bearer b")]), .malformed)
    }

    func testTheChallengeQuotesSafely() {
        XCTAssertEqual(
            BearerCredential.challenge(realm: "https://app.example.com"), "Bearer realm=\"https://app.example.com\"")
        XCTAssertEqual(
            BearerCredential.challenge(
                realm: "r", error: "invalid_token", description: "claim \"exp\" is\\ missing\u{1}é"),
            "Bearer realm=\"r\", error=\"invalid_token\", error_description=\"claim 'exp' is/ missing???\"")
    }
}
