// `allow github_team` / `deny github_team` through the real gateway and the GitHub API emulator,
// which lists the user's teams at GET /user/teams only with read:org.
import Foundation
import GatewayTestSupport
import XCTest

final class GitHubTeamRuleTests: IntegrationTestCase {
    private var emulatorPort = 0
    private var base: URL!

    private func start() throws {
        let upstream = try startUpstream()
        emulatorPort = try startAPIEmulator()
        let api = "http://127.0.0.1:\(emulatorPort)"
        (_, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: """
                provider github { client_id client-id; client_secret client-secret;
                    authorize_url \(api)/login/oauth/authorize; token_url \(api)/login/oauth/access_token; api_url \(api); }
                """,
            store: "memory",
            locations: """
                location /platform/ { allow github_team Acme/Platform; deny github_team acme/interns; proxy_pass app; }
                location / { proxy_pass app; }
                """,
            discoveringProviders: 0)
    }

    private func putUser(_ login: String, id: Int, teams: [String]) throws {
        let document: [String: Any] = [
            "github": ["login": login, "id": id],
            "emails": [["email": "\(login)@example.com", "verified": true, "primary": true]],
            "teams": teams.map { team -> [String: Any] in
                let parts = team.split(separator: "/")
                return ["org": String(parts[0]), "slug": String(parts[1])]
            },
        ]
        try putAPIUser(port: emulatorPort, login, document)
    }

    /// Straight to the provider, the emulator's form as `login`, and back.
    private func signedIn(_ login: String) throws -> Browser {
        let browser = Browser()
        let hops = try browser.follow(URL(string: "/auth/github?next=/app/", relativeTo: base)!.absoluteURL)
        guard let form = hops.last, form.url.port == emulatorPort, form.response.status == 200 else {
            throw TestFailure("expected the emulator's form, got \(hops.map { "\($0.response.status) \($0.url)" })")
        }
        let submitted = try browser.request("POST", form.url, form: [("login", login), ("decision", "allow")])
        guard let callback = submitted.location else { throw TestFailure("the emulator did not redirect back") }
        XCTAssertEqual(try browser.follow(callback).last?.response.status, 200)
        return browser
    }

    private func status(_ browser: Browser, _ path: String) throws -> Int {
        try browser.request("GET", URL(string: path, relativeTo: base)!.absoluteURL).response.status
    }

    func testTeamRulesAdmitMembersAndDenyWins() throws {
        try start()
        try putUser("pat", id: 11, teams: ["Acme/platform", "acme/sre"])
        try putUser("ivy", id: 12, teams: ["acme/platform", "acme/Interns"])
        try putUser("oz", id: 13, teams: ["other/platform"])
        XCTAssertEqual(try status(signedIn("pat"), "/platform/"), 200)
        XCTAssertEqual(try status(signedIn("ivy"), "/platform/"), 403, "deny github_team wins")
        let oz = try signedIn("oz")
        XCTAssertEqual(try status(oz, "/platform/"), 403, "the same slug in another org is another team")
        XCTAssertEqual(try status(oz, "/x"), 200)
    }

    func testTeamsAreAskedForWithReadOrg() throws {
        try start()
        try putUser("pat", id: 11, teams: ["acme/platform"])
        _ = try signedIn("pat")
        let seen = try RawHTTPClient(port: emulatorPort).request("GET", "/_requests", host: "127.0.0.1:\(emulatorPort)")
        let requests = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(seen.body)) as? [[String: Any]])
        let authorize = try XCTUnwrap(requests.first { $0["path"] as? String == "/login/oauth/authorize" })
        let scope = ((authorize["query"] as? [String: String])?["scope"]) ?? ""
        XCTAssertTrue(scope.split(separator: " ").contains("read:org"), scope)
        XCTAssertTrue(requests.contains { $0["path"] as? String == "/user/teams" })
        XCTAssertFalse(requests.contains { $0["path"] as? String == "/user/orgs" }, "no org rule, no org call")
    }
}
