// `allow email` and `allow email_domain` against sessions: only a verified email counts.
import GatewayConfig
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class AccessPolicyTests: XCTestCase {
    private func session(_ email: String?, verified: Bool) -> SessionRecord {
        var record = SessionRecord(
            userID: "u_1", provider: "mock", subject: "1", email: email, identities: ["mock:1"], createdAt: 0,
            expiresAt: 10, lastSeenAt: 0)
        record.emailVerified = verified
        return record
    }

    private func allows(_ rules: [AllowRule], _ session: SessionRecord) -> Bool {
        AccessPolicy.admits(AccessRules(allow: rules), session)
    }

    func testUnverifiedEmailDoesNotSatisfyAllowEmail() {
        XCTAssertFalse(allows([.email("boss@example.com")], session("boss@example.com", verified: false)))
        XCTAssertFalse(allows([.emailDomain("example.com")], session("boss@example.com", verified: false)))
        XCTAssertTrue(allows([.email("boss@example.com")], session("boss@example.com", verified: true)))
        XCTAssertTrue(allows([.emailDomain("example.com")], session("boss@example.com", verified: true)))
    }

    func testEmailsCompareAfterASCIILowercasingOnly() {
        XCTAssertTrue(allows([.email("boss@example.com")], session("Boss@Example.COM", verified: true)))
        // U+212A KELVIN SIGN lowercases to "k" under Unicode rules; it must not become "kim".
        XCTAssertFalse(
            allows([.email("kim@example.com")], session("\u{212A}im@example.com", verified: true)))
        XCTAssertFalse(allows([.emailDomain("example.com")], session("a@evil.com", verified: true)))
        XCTAssertFalse(allows([.emailDomain("example.com")], session("a@sub.example.com", verified: true)))
    }

    func testOldSessionWithoutTheFieldIsUnverified() {
        let old = SessionRecord(
            json: Array(
                #"{"userID":"u","provider":"p","subject":"s","email":"boss@example.com","identities":[],"createdAt":0,"expiresAt":9,"lastSeenAt":0}"#
                    .utf8))
        XCTAssertFalse(allows([.email("boss@example.com")], try XCTUnwrap(old)))
    }
}
