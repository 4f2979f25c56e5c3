// Every provider rule start-up relies on, checked by the validator, and the typed settings it builds.

import Foundation
import XCTest

@testable import GatewayConfig

final class ProviderRuleTests: XCTestCase {
    /// `gateway.conf:1:COL: provider "NAME": MESSAGE`, where COL is where `at` starts in `line`.
    private func message(_ line: String, at value: String, _ name: String, _ text: String) -> String {
        let column = line.distance(from: line.startIndex, to: line.range(of: value)!.lowerBound) + 1
        return "gateway.conf:1:\(column): provider \"\(name)\": \(text)"
    }

    private func settings(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> ProviderSettings
    {
        try XCTUnwrap(TestConfig.load(text).providers.first, file: file, line: line).settings
    }

    // MARK: token_auth and client_secret

    /// The validator used to refuse this although every such provider accepts it: a public
    /// client authenticates with PKCE alone.
    func testTokenAuthNoneNeedsNoClientSecret() throws {
        let blocks = [
            "provider corp { type oidc; issuer https://id.example.com; client_id a; token_auth none; }",
            "provider github { client_id a; token_auth none; }",
            "provider google { client_id a; token_auth none; }",
            "provider gitlab { client_id a; token_auth none; }",
            "provider microsoft { client_id a; token_auth none; }",
            "provider facebook { client_id a; token_auth none; }",
            "provider corp { type oauth2; client_id a; token_auth none; authorize_url https://a.example/authorize; token_url https://a.example/token; userinfo_url https://a.example/me; }",
        ]
        for block in blocks {
            XCTAssertEqual(TestConfig.messages(block + "\n"), [], block)
        }
        guard case .oidc(let oidc) = try settings(blocks[0] + "\n") else { return XCTFail("not oidc") }
        XCTAssertEqual(oidc.client.tokenAuth, .none)
        XCTAssertNil(oidc.client.clientSecret)
    }

    func testClientSecretIsRequiredUnlessTokenAuthNone() {
        TestConfig.check([
            ConfigCase(
                name: "another method", text: "provider github { client_id a; token_auth client_secret_post; }\n",
                expected: [#"gateway.conf:1:1: provider "github": "client_secret" is required"#]),
            ConfigCase(
                name: "twitter's OAuth 2.0 is always a confidential client",
                text: "provider twitter { type oauth2; client_id a; token_auth none; }\n",
                expected: [#"gateway.conf:1:1: provider "twitter": "client_secret" is required"#]),
        ])
        let line = "provider x { type oidc; token_auth private_key_jwt; }"
        XCTAssertEqual(
            TestConfig.messages(line + "\n"),
            [
                #"gateway.conf:1:1: provider "x": "client_id" is required"#,
                #"gateway.conf:1:1: provider "x": "client_secret" is required"#,
                #"gateway.conf:1:1: provider "x": "issuer" is required"#,
                message(
                    line, at: "private_key_jwt", "x",
                    #""token_auth" must be one of: client_secret_basic, client_secret_post, none, got "private_key_jwt""#
                ),
            ])
    }

    func testTokenAuthDefaultsByType() throws {
        func tokenAuth(_ text: String) throws -> TokenAuthMethod? {
            switch try settings(text) {
            case .github(let s): s.client.tokenAuth
            case .facebook(let s): s.client.tokenAuth
            case .oidc(let s), .google(let s), .gitlab(let s): s.client.tokenAuth
            case .microsoft(let s): s.client.tokenAuth
            case .oauth2(let s): s.client.tokenAuth
            case .twitter, .twitterOAuth2: nil
            }
        }
        XCTAssertEqual(try tokenAuth("provider github { client_id a; client_secret b; }\n"), .clientSecretPost)
        XCTAssertEqual(try tokenAuth("provider facebook { client_id a; client_secret b; }\n"), .clientSecretPost)
        XCTAssertEqual(try tokenAuth("provider google { client_id a; client_secret b; }\n"), .clientSecretBasic)
        XCTAssertEqual(
            try tokenAuth("provider github { client_id a; client_secret b; token_auth client_secret_basic; }\n"),
            .clientSecretBasic)
    }

    // MARK: Microsoft's tenant

    /// The validator used to pass these, and start-up then refused them.
    func testABadMicrosoftTenantIsReported() {
        for bad in ["contoso", "a/b.com", "x.com/../evil", "-a.com", "a..b", "tenant?x=1.com", "{tenantid}"] {
            let line = "provider microsoft { client_id a; client_secret b; tenant \"\(bad)\"; }"
            XCTAssertEqual(
                TestConfig.messages(line + "\n"),
                [message(line, at: "\"\(bad)\"", "microsoft", MicrosoftTenant.rule + ", got \"\(bad)\"")], bad)
            XCTAssertNil(MicrosoftTenant(bad), bad)
        }
        XCTAssertNil(MicrosoftTenant(""))
        XCTAssertEqual(
            TestConfig.messages("provider microsoft { client_id a; client_secret b; tenant \"\"; }\n"),
            [#"gateway.conf:1:59: provider "microsoft": "tenant" must not be empty"#])
    }

    func testGoodMicrosoftTenantsAreTyped() throws {
        let guid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
        let cases: [(String, MicrosoftTenant)] = [
            ("common", .common), ("Organizations", .organizations), ("consumers", .consumers),
            (guid.uppercased(), .id(guid)), ("contoso.onmicrosoft.com", .domain("contoso.onmicrosoft.com")),
            ("corp-1.example", .domain("corp-1.example")),
        ]
        for (written, tenant) in cases {
            let text = "provider microsoft { client_id a; client_secret b; tenant \(written); }\n"
            guard case .microsoft(let s) = try settings(text) else { return XCTFail(written) }
            XCTAssertEqual(s.tenant, tenant, written)
            XCTAssertEqual(s.loginURL, MicrosoftSettings.defaultLoginURL)
        }
        let text = "provider microsoft { client_id a; client_secret b; issuer https://login.test/; }\n"
        guard case .microsoft(let s) = try settings(text) else { return XCTFail("not microsoft") }
        XCTAssertEqual(s.tenant, .common, "the default")
        XCTAssertEqual(s.loginURL, "https://login.test/", "issuer names the login host")
    }

    // MARK: required keys and URL overrides

    func testPresetsNeedTheClientButNeverAnIssuer() throws {
        XCTAssertEqual(
            TestConfig.messages("provider google { }\n"),
            [
                #"gateway.conf:1:1: provider "google": "client_id" is required"#,
                #"gateway.conf:1:1: provider "google": "client_secret" is required"#,
            ])
        guard case .gitlab(let gitlab) = try settings("provider gitlab { client_id a; client_secret b; }\n") else {
            return XCTFail("not gitlab")
        }
        XCTAssertEqual(gitlab.issuer, OIDCSettings.gitlabIssuer)
        XCTAssertEqual(
            TestConfig.messages("provider corp { type oidc; client_id a; client_secret b; }\n"),
            [#"gateway.conf:1:1: provider "corp": "issuer" is required"#], "the generic provider still needs one")
    }

    func testOAuth2NeedsEveryEndpoint() {
        XCTAssertEqual(
            TestConfig.messages("provider corp { type oauth2; client_id a; client_secret b; }\n"),
            [
                #"gateway.conf:1:1: provider "corp": "authorize_url" is required"#,
                #"gateway.conf:1:1: provider "corp": "token_url" is required"#,
                #"gateway.conf:1:1: provider "corp": "userinfo_url" is required"#,
            ])
    }

    func testTwitterNeedsItsCredentials() {
        XCTAssertEqual(
            TestConfig.messages("provider twitter { }\n"),
            [
                #"gateway.conf:1:1: provider "twitter": "consumer_key" is required"#,
                #"gateway.conf:1:1: provider "twitter": "consumer_secret" is required"#,
            ])
        XCTAssertEqual(
            TestConfig.messages("provider twitter { type oauth2; }\n"),
            [
                #"gateway.conf:1:1: provider "twitter": "client_id" is required"#,
                #"gateway.conf:1:1: provider "twitter": "client_secret" is required"#,
            ])
    }

    func testURLOverridesMustBeHTTPURLs() {
        let github = "provider github { client_id a; client_secret b; api_url ftp://example.com; }"
        XCTAssertEqual(
            TestConfig.messages(github + "\n"),
            [
                message(
                    github, at: "ftp://", "github",
                    #""api_url" must be an http:// or https:// URL, got "ftp://example.com""#)
            ])
        let oauth1 =
            "provider twitter { consumer_key k; consumer_secret s; api_url ftp://x; authorize_url https://ok.example/a; }"
        XCTAssertEqual(
            TestConfig.messages(oauth1 + "\n"),
            [message(oauth1, at: "ftp://", "twitter", #""api_url" must be an http:// or https:// URL, got "ftp://x""#)])
        let oauth2 = "provider twitter { type oauth2; client_id i; client_secret s; token_url \"not a url\"; }"
        XCTAssertEqual(
            TestConfig.messages(oauth2 + "\n"),
            [
                message(
                    oauth2, at: "\"not", "twitter", #""token_url" must be an http:// or https:// URL, got "not a url""#)
            ])
    }

    /// Twitter's URLs are signed or extended as written, so start-up refused these too.
    func testTwitterURLsHaveNoSpacesOrFragment() {
        for url in ["https://api.example/a b", "https://api.example/#top"] {
            let line = "provider twitter { consumer_key k; consumer_secret s; api_url \"\(url)\"; }"
            XCTAssertEqual(
                TestConfig.messages(line + "\n"),
                [
                    message(
                        line, at: "\"https", "twitter",
                        "\"api_url\" must be an http:// or https:// URL without spaces or a fragment, got \"\(url)\"")
                ], url)
        }
        XCTAssertEqual(
            TestConfig.messages(
                "provider github { client_id a; client_secret b; api_url \"https://ghe.example/#x\"; }\n"),
            [], "other types keep the plain URL rule")
    }

    // MARK: ca_file

    func testCAFileMustBeReadable() throws {
        let missing = "provider github { client_id a; client_secret b; ca_file /nonexistent/ca.pem; }"
        XCTAssertEqual(
            TestConfig.messages(missing + "\n"),
            [
                message(
                    missing, at: "/nonexistent", "github",
                    #""ca_file" "/nonexistent/ca.pem" cannot be read: No such file or directory"#)
            ])
        let directory = try TemporaryDirectory()
        let line = "provider github { client_id a; client_secret b; ca_file \(directory.path); }"
        XCTAssertEqual(
            TestConfig.messages(line + "\n"),
            [
                message(
                    line, at: directory.path, "github",
                    "\"ca_file\" \"\(directory.path)\" cannot be read: is a directory")
            ])
        let pem = try directory.write("ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let config = try TestConfig.load("provider github { client_id a; client_secret b; ca_file \(pem); }\n")
        XCTAssertEqual(config.providers.first?.caFile, pem)
    }

    // MARK: derived and default settings

    func testGitHubReadsOrganizationsOnlyWhenALocationAllowsGitHubOrg() throws {
        let base = """
            upstream app { server 127.0.0.1:3000; }
            provider github { client_id a; client_secret b; }
            provider ghe { type github; client_id a; client_secret b; }

            """
        func reads(_ location: String) throws -> [Bool] {
            try TestConfig.load(base + location).providers.map { provider in
                guard case .github(let s) = provider.settings else { return false }
                return s.readsOrganizations
            }
        }
        XCTAssertEqual(try reads("location / { auth off; proxy_pass app; allow github_org acme; }\n"), [true, true])
        XCTAssertEqual(
            try reads("location / { auth off; proxy_pass app; allow email a@b.example; }\n"), [false, false])
    }

    func testScopesAreSplitAtSpacesAndCommasAndDefaultByType() throws {
        guard
            case .github(let github) = try settings(
                "provider github { client_id a; client_secret b; scopes read:user, user:email; }\n")
        else { return XCTFail("not github") }
        XCTAssertEqual(github.client.scopes, ["read:user", "user:email"])
        guard case .facebook(let facebook) = try settings("provider facebook { client_id a; client_secret b; }\n")
        else { return XCTFail("not facebook") }
        XCTAssertEqual(facebook.client.scopes, FacebookSettings.defaultScopes)
        guard
            case .twitterOAuth2(let twitter) = try settings(
                "provider twitter { type oauth2; client_id a; client_secret b; scopes users.read,tweet.read offline.access; }\n"
            )
        else { return XCTFail("not twitter") }
        XCTAssertEqual(twitter.scopes, ["users.read", "tweet.read", "offline.access"])
        guard
            case .twitterOAuth2(let bare) = try settings(
                "provider twitter { type oauth2; client_id a; client_secret b; scopes \",\"; }\n")
        else { return XCTFail("not twitter") }
        XCTAssertEqual(bare.scopes, TwitterOAuth2Settings.defaultScopes, "no scope named: the default")
    }

    func testClaimNamesAndEndpointsAreRead() throws {
        let text = """
            provider corp { type oauth2; client_id a; client_secret b; authorize_url https://a.example/authorize; \
            token_url https://a.example/token; userinfo_url https://a.example/me; claim_id data.id; claim_name display; }

            """
        guard case .oauth2(let corp) = try settings(text) else { return XCTFail("not oauth2") }
        XCTAssertEqual(corp.claims, ClaimNames(id: "data.id", email: "email", name: "display"))
        XCTAssertEqual(corp.userinfoURL, "https://a.example/me")
        XCTAssertEqual(corp.client.scopes, [])
        guard case .twitter(let twitter) = try settings("provider twitter { consumer_key k; consumer_secret s; }\n")
        else { return XCTFail("not twitter") }
        XCTAssertEqual(twitter.requestTokenURL, TwitterOAuth1Settings.defaultRequestTokenURL)
    }
}
