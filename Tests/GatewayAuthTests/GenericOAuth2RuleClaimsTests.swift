// GenericOAuth2Provider keeping groups (`claim_groups`) and rule claims from the userinfo document.
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class GenericOAuth2RuleClaimsTests: PresetTestCase {
    func testGroupsAndNamedClaimsComeFromUserinfo() throws {
        try putUser(
            "amy",
            [
                "userinfo": [
                    "id": 7, "roles": ["admin", "dev"], "department": "Engineering", "level": 3, "secret": "x",
                ]
            ])
        var settings = GenericOAuth2Settings(
            client: client(tokenAuth: GenericOAuth2Settings.defaultTokenAuth, scopes: []),
            authorizeURL: "\(emulator.base)/oauth2/authorize", tokenURL: "\(emulator.base)/oauth2/token",
            userinfoURL: "\(emulator.base)/userinfo")
        settings.claims = ClaimNames(groups: "roles", readsGroups: true, kept: ["department", "level", "missing"])
        let provider = GenericOAuth2Provider(
            name: "corp", displayName: "corp", settings: settings, http: http, queue: queue, logger: nil)
        let identity = try signIn(provider, as: "amy").get()
        XCTAssertEqual(identity.subject, "7")
        XCTAssertEqual(identity.groups, ["admin", "dev"])
        XCTAssertEqual(identity.claims, ["department": ["Engineering"], "level": ["3"]], "only claims a rule names")
    }
}
