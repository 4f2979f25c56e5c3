// Compiled rules against sessions: deny always wins, any one allow admits, no allow admits all,
// and groups, teams and claims compare the way the session holds them.
import GatewayConfig
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class AccessRulesPolicyTests: XCTestCase {
    private func session(
        email: String? = "ann@example.com", provider: String = "corp", groups: [String] = [], teams: [String] = [],
        orgs: [String] = [], claims: [String: [String]] = [:]
    ) -> SessionRecord {
        var record = SessionRecord(
            userID: "u_1", provider: provider, subject: "1", email: email, identities: ["\(provider):1"],
            createdAt: 0, expiresAt: 10, lastSeenAt: 0)
        record.emailVerified = true
        (record.groups, record.teams, record.organizations, record.claims) = (groups, teams, orgs, claims)
        return record
    }

    private func admits(allow: [AllowRule] = [], deny: [AllowRule] = [], _ record: SessionRecord) -> Bool {
        AccessPolicy.admits(AccessRules(allow: allow, deny: deny), record)
    }

    func testNoRulesAdmitEverySignedInUser() {
        XCTAssertTrue(admits(session()))
        XCTAssertTrue(admits(session(email: nil)))
    }

    func testDenyAlwaysWinsOverAMatchingAllow() {
        let staff = session(groups: ["staff", "contractors"])
        XCTAssertFalse(admits(allow: [.group("staff")], deny: [.group("contractors")], staff))
        XCTAssertFalse(admits(allow: [.anyone], deny: [.email("ann@example.com")], staff))
        XCTAssertFalse(admits(deny: [.anyone], staff), "deny any closes the location")
        XCTAssertTrue(admits(allow: [.group("staff")], deny: [.group("interns")], staff))
    }

    func testDenyWithoutAllowAdmitsEveryoneElse() {
        XCTAssertFalse(admits(deny: [.emailDomain("example.com")], session()))
        XCTAssertTrue(admits(deny: [.emailDomain("example.org")], session()))
        XCTAssertTrue(admits(deny: [.group("banned")], session(groups: ["staff"])))
    }

    func testAnyOneAllowAdmits() {
        let rules: [AllowRule] = [.provider("github"), .group("admins"), .claim(name: "dept", value: "eng")]
        XCTAssertTrue(admits(allow: rules, session(provider: "github")))
        XCTAssertTrue(admits(allow: rules, session(groups: ["x", "admins"])))
        XCTAssertTrue(admits(allow: rules, session(claims: ["dept": ["sales", "eng"]])))
        XCTAssertFalse(admits(allow: rules, session(groups: ["Admins"], claims: ["dept": ["Eng"], "other": ["eng"]])))
    }

    func testTeamsAndOrganizationsCompareLowercased() {
        XCTAssertTrue(admits(allow: [.githubTeam("Acme/Platform")], session(teams: ["acme/platform"])))
        XCTAssertFalse(
            admits(allow: [.githubTeam("acme/platform")], session(teams: ["acme/platform-2", "other/platform"])))
        XCTAssertTrue(admits(allow: [.githubOrg("Acme")], session(orgs: ["acme"])))
        XCTAssertFalse(admits(deny: [.githubOrg("Acme")], session(orgs: ["acme"])))
    }

    func testEmailRulesSeeOnlyAVerifiedEmail() {
        var unverified = session()
        unverified.emailVerified = false
        XCTAssertFalse(admits(allow: [.email("ann@example.com")], unverified))
        XCTAssertTrue(admits(deny: [.email("ann@example.com")], unverified), "nor does deny: there is no email")
        XCTAssertTrue(admits(allow: [.emailDomain("Example.com")], session(email: "Ann@EXAMPLE.com")))
        XCTAssertFalse(admits(allow: [.emailDomain("example.com")], session(email: "ann@sub.example.com")))
        XCTAssertFalse(admits(allow: [.emailDomain("example.com")], session(email: "example.com")))
    }

    func testUserRules() {
        XCTAssertTrue(admits(allow: [.user("u_1")], session()))
        XCTAssertFalse(admits(allow: [.user("u_2")], session()))
    }
}
