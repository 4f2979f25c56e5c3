// `deny`, `allow group|github_team|claim`, `claim_groups` and `headers`: every form, every error,
// and what the validator tells providers to read for them.

import XCTest

@testable import GatewayConfig

final class AccessRuleValidationTests: XCTestCase {
    /// Lines 1-3 of most cases: an upstream, a GitHub and an OIDC provider.
    private let head = """
        upstream app { server 127.0.0.1:3000; }
        provider github { client_id a; client_secret b; }
        provider corp { type oidc; issuer https://id.example.com; client_id a; client_secret b; }

        """

    private func location(_ body: String) -> String {
        head + "location / { auth off; proxy_pass app;\n" + body + "\n}\n"
    }

    func testParsesEveryFormForAllowAndDeny() throws {
        let forms = """
              email Alice@Example.COM; email_domain @Example.com; provider github; user 42;
              github_org Acme; github_team Acme/Platform-Team; group "Domain Admins"; claim department Engineering;
              any;
            """
        for directive in ["allow", "deny"] {
            let body = forms.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }.map { "\(directive) \($0);" }.joined(separator: "\n")
            let config = try TestConfig.load(location(body))
            let rules = directive == "allow" ? config.locations[0].allow : config.locations[0].deny
            XCTAssertEqual(
                rules,
                [
                    .email("alice@example.com"), .emailDomain("example.com"), .provider("github"), .user("42"),
                    .githubOrg("Acme"), .githubTeam("acme/platform-team"), .group("Domain Admins"),
                    .claim(name: "department", value: "Engineering"), .anyone,
                ], directive)
        }
    }

    func testCompilesRulesIntoLowercasedSets() throws {
        let config = try TestConfig.load(
            location(
                """
                allow email A@B.example; allow github_org Acme; allow group Ops; allow claim roles admin; allow claim roles dev;
                deny github_team Acme/Interns; deny email_domain Evil.Example;
                """))
        let access = config.locations[0].access
        XCTAssertEqual(access.allow.emails, ["a@b.example"])
        XCTAssertEqual(access.allow.organizations, ["acme"])
        XCTAssertEqual(access.allow.groups, ["Ops"], "groups compare exactly")
        XCTAssertEqual(access.allow.claims, ["roles": ["admin", "dev"]])
        XCTAssertEqual(access.deny.teams, ["acme/interns"])
        XCTAssertEqual(access.deny.emailDomains, ["evil.example"])
        XCTAssertFalse(access.deny.isEmpty)
        XCTAssertTrue(AccessRules(allow: []).allow.isEmpty)
    }

    func testReportsEveryRuleError() {
        let body = """
            deny emial a@b.c;
            deny role admins;
            deny any everyone;
            deny email not-an-address;
            allow github_team acme;
            allow github_team acme/;
            allow github_team "acme/a b";
            allow claim department;
            allow claim email boss@example.com;
            allow group;
            deny provider gitlab;
            allow claim "" x;
            allow group "";
            """
        TestConfig.check([
            ConfigCase(
                name: "rule errors", text: location(body),
                expected: [
                    #"gateway.conf:5:6: location "/": unknown deny kind "emial"; did you mean "email"?"#,
                    #"gateway.conf:6:6: location "/": unknown deny kind "role" (one of: email, email_domain, provider, user, github_org, github_team, group, claim, any)"#,
                    #"gateway.conf:7:1: location "/": "deny any" takes no value, got 1"#,
                    #"gateway.conf:8:12: location "/": deny email "not-an-address" is not an email address"#,
                    #"gateway.conf:9:19: location "/": allow github_team "acme" must be ORG/TEAM (the team's slug)"#,
                    #"gateway.conf:10:19: location "/": allow github_team "acme/" must be ORG/TEAM (the team's slug)"#,
                    #"gateway.conf:11:19: location "/": allow github_team "acme/a b" must be ORG/TEAM (the team's slug)"#,
                    #"gateway.conf:12:1: location "/": "allow claim" expects 2 values, got 1"#,
                    #"gateway.conf:13:13: location "/": allow claim cannot compare "email", which may be unverified; use "allow email""#,
                    #"gateway.conf:14:1: location "/": "allow group" expects 1 value, got 0"#,
                    #"gateway.conf:15:15: location "/": deny provider names unknown provider "gitlab"; did you mean "github"?"#,
                    #"gateway.conf:16:13: location "/": allow claim needs a claim name"#,
                    #"gateway.conf:17:13: location "/": allow group needs a group name"#,
                ])
        ])
    }

    func testRulesNeedAProviderThatCarriesThem() {
        let app = "upstream app { server 127.0.0.1:3000; }\n"
        let twitter = app + "provider twitter { type oauth2; client_id a; client_secret b; }\n"
        let body = "location / { auth off; proxy_pass app; deny group x; allow claim a b; deny github_team o/t; }\n"
        TestConfig.check([
            ConfigCase(
                name: "Twitter's OAuth 2 carries no claims", text: twitter + body,
                expected: [
                    #"gateway.conf:3:51: location "/": deny group needs a provider of type oidc, google, gitlab, microsoft or oauth2"#,
                    #"gateway.conf:3:66: location "/": allow claim needs a provider of type oidc, google, gitlab, microsoft or oauth2"#,
                    #"gateway.conf:3:88: location "/": deny github_team needs a provider of type github"#,
                ]),
            ConfigCase(
                name: "a generic oauth2 and a google provider carry claims, GitHub Enterprise teams",
                text: app + "provider google { client_id a; client_secret b; }\n"
                    + "provider ghe { type github; client_id a; client_secret b; }\n"
                    + body.replacingOccurrences(of: "3:", with: "4:"),
                expected: []),
        ])
    }

    func testProvidersReadWhatTheRulesNeed() throws {
        let config = try TestConfig.load(
            head + "provider sso { type oauth2; client_id a; client_secret b; authorize_url https://s.example/a;"
                + " token_url https://s.example/t; userinfo_url https://s.example/u; claim_groups roles; }\n"
                + "location /a/ { auth off; proxy_pass app; allow claim dept eng; deny github_team acme/x; }\n"
                + "location /b/ { auth off; proxy_pass app; deny claim level 1; allow group admins; }\n")
        guard case .github(let github) = config.providers[0].settings,
            case .oidc(let corp) = config.providers[1].settings, case .oauth2(let sso) = config.providers[2].settings
        else { return XCTFail("provider types") }
        XCTAssertTrue(github.readsTeams)
        XCTAssertFalse(github.readsOrganizations)
        XCTAssertEqual(corp.claims.kept, ["dept", "level"])
        XCTAssertTrue(corp.claims.readsGroups)
        XCTAssertEqual(corp.claims.groups, "groups")
        XCTAssertEqual(sso.claims.groups, "roles")
        XCTAssertEqual(sso.claims.kept, ["dept", "level"])
    }

    func testWithoutRulesProvidersReadNothingExtra() throws {
        let config = try TestConfig.load(location("allow email a@b.example;"))
        guard case .github(let github) = config.providers[0].settings,
            case .oidc(let corp) = config.providers[1].settings
        else { return XCTFail("provider types") }
        XCTAssertFalse(github.readsTeams || github.readsOrganizations)
        XCTAssertFalse(corp.claims.readsGroups)
        XCTAssertEqual(corp.claims.kept, [])
    }
}
