// The microsoft preset: tenants, the `{tenantid}` issuer template, and the xms_edov email rule.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class OIDCPresetMicrosoftTests: OIDCTestCase {
    private let base = MicrosoftSettings.defaultLoginURL
    private let template = "https://login.microsoftonline.com/{tenantid}/v2.0"
    private let userTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    private let otherTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
    private let personal = MicrosoftTenant.personalAccountsTenantID

    private var fastRetries: OIDCTiming {
        var timing = OIDCTiming()
        timing.discoveryInitialBackoff = .milliseconds(10)
        timing.discoveryMaxBackoff = .milliseconds(10)
        return timing
    }

    private func issuer(_ tenant: String) -> String { "\(base)/\(tenant)/v2.0" }

    /// The fake serves `{base}/{tenant}/v2.0` and advertises `advertised` in its document.
    private func serve(tenant: String, advertising advertised: String) {
        idp = FakeIdentityProvider(queue: queue, issuer: issuer(tenant))
        idp.advertisedIssuer = advertised
    }

    /// The next ID token names `tid` (nil: no tid) and `iss`.
    private func nextToken(tid: String?, iss: String, extra: [String: JSONValue?] = [:]) {
        var claims: [String: JSONValue?] = ["iss": .string(iss), "tid": tid.map { .string($0) }]
        for (key, value) in extra { claims[key] = value }
        idp.idTokenOverrides = claims
    }

    private func readyProvider(tenant: String? = nil) -> OIDCProvider {
        let provider = makePresetProvider(.microsoft, tenant: tenant)
        startAndWaitUntilReady(provider)
        return provider
    }

    // MARK: multi-tenant

    func testCommonIsTheDefaultTenantAndDiscoversAtItsURL() {
        let provider = makePresetProvider(.microsoft)
        XCTAssertEqual(provider.issuer, "https://login.microsoftonline.com/common/v2.0")
        XCTAssertEqual(
            provider.discovery.configurationURL,
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration")
        XCTAssertEqual(provider.displayName, "Microsoft")
        XCTAssertEqual(provider.scopes, "openid email profile")
    }

    func testCommonAcceptsATokenWhoseIssuerNamesItsOwnTenant() throws {
        serve(tenant: "common", advertising: template)
        let provider = readyProvider()
        nextToken(tid: userTenant, iss: issuer(userTenant), extra: ["preferred_username": "jane@contoso.com"])
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.provider, "microsoft")
        XCTAssertEqual(identity.subject, "248289761001")
        XCTAssertEqual(identity.login, "jane@contoso.com")
        // Personal accounts come through common too, from their own tenant.
        nextToken(tid: personal, iss: issuer(personal))
        XCTAssertEqual(try XCTUnwrap(signIn(provider)).get().subject, "248289761001")
    }

    func testCommonRefusesAnIssuerThatNamesAnotherTenantThanTid() {
        serve(tenant: "common", advertising: template)
        let provider = readyProvider()
        nextToken(tid: userTenant, iss: issuer(otherTenant))
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
    }

    func testCommonRefusesATokenWithoutTid() {
        serve(tenant: "common", advertising: template)
        let provider = readyProvider()
        nextToken(tid: nil, iss: issuer(userTenant))
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.missingClaim("tid"))))
    }

    func testCommonRefusesATidThatIsNotAGUID() {
        serve(tenant: "common", advertising: template)
        let provider = readyProvider()
        for tid in ["contoso.com", "evil.test/x", "", userTenant + "0", "{tenantid}"] {
            nextToken(tid: tid, iss: issuer(tid))
            XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.missingClaim("tid"))), tid)
        }
    }

    func testCommonRefusesTheUnfilledTemplateAndOtherHosts() {
        serve(tenant: "common", advertising: template)
        let provider = readyProvider()
        for iss in [template, "https://evil.test/\(userTenant)/v2.0", "https://sts.windows.net/\(userTenant)/"] {
            nextToken(tid: userTenant, iss: iss)
            XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)), iss)
        }
    }

    func testCommonRefusesADiscoveryDocumentForAnotherIssuer() {
        for advertised in [issuer(userTenant), "https://evil.test/{tenantid}/v2.0", issuer("common")] {
            serve(tenant: "common", advertising: advertised)
            let provider = makePresetProvider(.microsoft, timing: fastRetries)
            XCTAssertFalse(becomesReadyQuickly(provider), advertised)
            XCTAssertEqual(count("/jwks"), 0, "no keys are fetched for a document we refused")
        }
    }

    func testOrganizationsRefusesPersonalAccounts() throws {
        serve(tenant: "organizations", advertising: template)
        let provider = readyProvider(tenant: "organizations")
        nextToken(tid: userTenant, iss: issuer(userTenant))
        XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get())
        nextToken(tid: personal, iss: issuer(personal))
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
    }

    func testConsumersAdmitsOnlyThePersonalAccountsTenant() throws {
        for advertised in [template, issuer(personal)] {
            serve(tenant: "consumers", advertising: advertised)
            let provider = readyProvider(tenant: "consumers")
            nextToken(tid: personal, iss: issuer(personal))
            XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get(), advertised)
            nextToken(tid: userTenant, iss: issuer(userTenant))
            XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)), advertised)
        }
    }

    // MARK: single tenant

    func testASpecificTenantRequiresItsExactIssuer() throws {
        serve(tenant: userTenant, advertising: issuer(userTenant))
        let provider = readyProvider(tenant: userTenant.uppercased())
        XCTAssertEqual(provider.issuer, issuer(userTenant), "tenant ids are lowercased")
        nextToken(tid: userTenant, iss: issuer(userTenant))
        XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get())
        // Another tenant's token is self-consistent, and still not ours.
        nextToken(tid: otherTenant, iss: issuer(otherTenant))
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))
    }

    func testASpecificTenantRefusesTheTemplateInDiscovery() {
        serve(tenant: userTenant, advertising: template)
        XCTAssertFalse(
            becomesReadyQuickly(makePresetProvider(.microsoft, tenant: userTenant, timing: fastRetries)))
    }

    func testADomainTenantPinsTheTenantIdItsDocumentNames() throws {
        serve(tenant: "contoso.onmicrosoft.com", advertising: issuer(userTenant))
        let provider = readyProvider(tenant: "Contoso.onmicrosoft.com")
        nextToken(tid: userTenant, iss: issuer(userTenant))
        XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get())
        nextToken(tid: otherTenant, iss: issuer(otherTenant))
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.issuerMismatch)))

        for advertised in [template, issuer("contoso.onmicrosoft.com"), "https://evil.test/\(userTenant)/v2.0"] {
            serve(tenant: "contoso.onmicrosoft.com", advertising: advertised)
            let refused = makePresetProvider(
                .microsoft, tenant: "contoso.onmicrosoft.com", timing: fastRetries)
            XCTAssertFalse(becomesReadyQuickly(refused), advertised)
        }
    }

    func testTheIssuerOptionReplacesTheLoginHost() {
        let provider = makePresetProvider(
            .microsoft, issuer: "https://login.test/", tenant: "consumers")
        XCTAssertEqual(provider.issuer, "https://login.test/consumers/v2.0")
        XCTAssertEqual(
            provider.issuerPolicy.description,
            "https://login.test/{tenantid}/v2.0 or https://login.test/\(personal)/v2.0")
    }

    // MARK: email

    func testAMicrosoftEmailIsVerifiedOnlyByXmsEdov() throws {
        serve(tenant: "common", advertising: template)
        let provider = readyProvider()
        let cases: [(JSONValue?, Bool)] = [
            (nil, false), (true, true), (false, false), ("true", true), (1, true), (0, false),
        ]
        for (edov, verified) in cases {
            // email_verified is ignored: a tenant's claims mapping can emit it with any value.
            nextToken(tid: userTenant, iss: issuer(userTenant), extra: ["xms_edov": edov, "email_verified": true])
            let identity = try XCTUnwrap(signIn(provider)).get()
            XCTAssertEqual(identity.email, "janedoe@example.com")
            XCTAssertEqual(identity.emailVerified, verified, "xms_edov \(String(describing: edov))")
        }
    }

    func testAnEmailFromUserinfoIsNeverVerified() throws {
        serve(tenant: "common", advertising: template)
        idp.userinfo = ["email": "info@example.com", "email_verified": true, "xms_edov": true, "name": "Info"]
        let provider = readyProvider()
        nextToken(tid: userTenant, iss: issuer(userTenant), extra: ["email": nil, "xms_edov": true])
        let identity = try XCTUnwrap(signIn(provider)).get()
        XCTAssertEqual(identity.email, "info@example.com")
        XCTAssertFalse(identity.emailVerified)
    }

    // MARK: options

    // Which `tenant` values are accepted is the config validator's rule: ProviderRuleTests.
}
