// The groups and rule claims read from an ID token or userinfo: text forms, fallback, nesting.
import GatewayAuth
import GatewayConfig
import GatewayJSON
import XCTest

final class RuleClaimReaderTests: XCTestCase {
    private func read(_ reader: RuleClaimReader, _ primary: JSONValue, fallback: JSONValue? = nil) -> VerifiedIdentity {
        var identity = VerifiedIdentity(provider: "corp", subject: "1")
        reader.read(primary, fallback: fallback, into: &identity)
        return identity
    }

    func testValuesAsText() {
        let reader = RuleClaimReader(readsGroups: true, kept: ["dept", "level", "admin", "ratio", "mixed", "obj"])
        let identity = read(
            reader,
            [
                "groups": ["a", "b,c"], "dept": "eng", "level": 3, "admin": true, "ratio": 0.5,
                "mixed": ["x", 7, false, .null, ["nested"]], "obj": ["k": "v"],
            ])
        XCTAssertEqual(identity.groups, ["a", "b,c"])
        XCTAssertEqual(
            identity.claims,
            ["dept": ["eng"], "level": ["3"], "admin": ["true"], "ratio": ["0.5"], "mixed": ["x", "7", "false"]],
            "an object has no text; it is left out")
    }

    func testGroupsAreAlwaysKeptOtherClaimsOnlyWhenNamed() {
        let reader = RuleClaimReader()
        let identity = read(reader, ["groups": ["a"], "dept": "eng"])
        XCTAssertEqual(identity.groups, ["a"], "so a deny group added by a reload sees this session")
        XCTAssertEqual(identity.claims, [:])
        XCTAssertFalse(reader.misses([:]), "no rule needs anything: no userinfo call for it")
    }

    func testIDTokenFirstThenUserinfoPerClaim() {
        let reader = RuleClaimReader(readsGroups: true, kept: ["dept", "site"])
        let identity = read(reader, ["dept": "eng"], fallback: ["dept": "sales", "site": "ams", "groups": "solo"])
        XCTAssertEqual(identity.claims, ["dept": ["eng"], "site": ["ams"]])
        XCTAssertEqual(identity.groups, ["solo"], "a single string is one group")
        XCTAssertTrue(reader.misses(["dept": "eng"]))
        XCTAssertFalse(reader.misses(["dept": "eng", "site": "x", "groups": []]))
    }

    func testNamedGroupsClaimAndDottedPaths() {
        let names = ClaimNames(groups: "realm_access.roles", readsGroups: true, kept: ["resource.team"])
        let identity = read(
            RuleClaimReader(names),
            ["realm_access": ["roles": ["admin"]], "resource": ["team": "core"], "groups": ["x"]])
        XCTAssertEqual(identity.groups, ["admin"])
        XCTAssertEqual(identity.claims, ["resource.team": ["core"]])
    }
}
