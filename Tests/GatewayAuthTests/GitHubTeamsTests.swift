// GitHubProvider reading teams (`GET /user/teams`) for `allow github_team`, against the API emulator.
import Foundation
import GatewayConfig
import XCTest

@testable import GatewayAuth

final class GitHubTeamsTests: PresetTestCase {
    // Two items a page, so teams are read across pages by following `Link`.
    override var emulatorArguments: [String] { ["--max-per-page", "2"] }

    private func provider(_ adjust: (inout GitHubSettings) -> Void = { _ in }) -> GitHubProvider {
        var settings = GitHubSettings(
            client: client(
                secret: "client-secret", tokenAuth: GitHubSettings.defaultTokenAuth,
                scopes: GitHubSettings.defaultScopes),
            authorizeURL: "\(emulator.base)/login/oauth/authorize",
            tokenURL: "\(emulator.base)/login/oauth/access_token", apiURL: "\(emulator.base)/")
        adjust(&settings)
        return GitHubProvider(
            name: "github", displayName: "github", settings: settings, http: http, queue: queue, logger: nil)
    }

    private func putOctocat() throws {
        try putUser(
            "octocat",
            [
                "github": ["login": "octocat", "id": 583231],
                "orgs": [["login": "Acme", "public": true]],
                "teams": [
                    ["org": "Acme", "slug": "Platform"], ["org": "acme", "slug": "sre"],
                    ["org": "Octo-Org", "slug": "core"],
                ],
            ])
    }

    func testTeamsAreReadLowercasedAcrossPagesWithReadOrg() throws {
        try putOctocat()
        let provider = provider { $0.readsTeams = true }
        XCTAssertEqual(provider.client.scopes, ["read:user", "user:email", "read:org"])
        let identity = try signIn(provider, as: "octocat").get()
        XCTAssertEqual(identity.teams, ["acme/platform", "acme/sre", "octo-org/core"])
        XCTAssertEqual(identity.organizations, [], "orgs are read only when a rule names one")
        XCTAssertEqual(try seenRequests(path: "/user/teams").count, 2, "three teams on two pages")
        XCTAssertEqual(try seenRequests(path: "/user/orgs").count, 0)
    }

    func testOrganizationsAndTeamsTogether() throws {
        try putOctocat()
        let identity = try signIn(provider { ($0.readsTeams, $0.readsOrganizations) = (true, true) }, as: "octocat")
            .get()
        XCTAssertEqual(identity.organizations, ["acme"])
        XCTAssertEqual(identity.teams.count, 3)
    }

    func testTeamsAreNotReadUnlessARuleNeedsThem() throws {
        try putOctocat()
        let identity = try signIn(provider(), as: "octocat").get()
        XCTAssertEqual(identity.teams, [])
        XCTAssertEqual(try seenRequests(path: "/user/teams").count, 0)
    }

    func testTeamsThatCannotBeReadFailTheSignIn() throws {
        // Without read:org GitHub answers 403: an empty list could let a `deny github_team` pass.
        try putOctocat()
        let result = try signIn(provider { $0.readsTeams = true }, as: "octocat", extra: [("decline", "read:org")])
        guard case .failure = result else { return XCTFail("signed in without the teams: \(result)") }
        XCTAssertEqual(try seenRequests(path: "/user/teams").count, 1)
    }

    func testTeamNameNeedsOrganizationAndSlug() {
        XCTAssertEqual(GitHubProvider.teamName(["slug": "A", "organization": ["login": "B"]]), "b/a")
        XCTAssertNil(GitHubProvider.teamName(["slug": "a"]))
        XCTAssertNil(GitHubProvider.teamName(["slug": "", "organization": ["login": "b"]]))
    }
}
