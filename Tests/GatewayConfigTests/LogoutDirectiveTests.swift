// `end_provider_session` and `post_logout_redirect`: RP-Initiated Logout's two directives.
import XCTest

@testable import GatewayConfig

final class LogoutDirectiveTests: XCTestCase {
    func testDefaultsAreOffAndTheSignInPage() throws {
        let config = try TestConfig.load("")
        XCTAssertFalse(config.endProviderSession)
        XCTAssertNil(config.postLogoutRedirect)
    }

    func testAcceptsValidForms() throws {
        let config = try TestConfig.load("end_provider_session on;\npost_logout_redirect /bye?from=idp;\n")
        XCTAssertTrue(config.endProviderSession)
        XCTAssertEqual(config.postLogoutRedirect, "/bye?from=idp")
        XCTAssertFalse(try TestConfig.load("end_provider_session off;\n").endProviderSession)
    }

    func testRejectsInvalidFormsWithTheirPlace() {
        XCTAssertEqual(
            TestConfig.messages("end_provider_session yes;\n"),
            [#"gateway.conf:1:22: "end_provider_session" must be "on" or "off", got "yes""#])
        for bad in ["https://evil.example/", "//evil.example", "bye", "/a#b", "/\\\\evil"] {
            XCTAssertEqual(
                TestConfig.messages("post_logout_redirect \"\(bad)\";\n").count, 1, bad)
        }
        XCTAssertEqual(
            TestConfig.messages("post_logout_redirect //evil.example;\n"),
            [
                #"gateway.conf:1:22: "post_logout_redirect" must be a path on this site like /auth/sign_in, got "//evil.example""#
            ])
        XCTAssertEqual(
            TestConfig.messages("provider github { client_id a; client_secret b; end_provider_session on; }\n").first?
                .contains(#""end_provider_session" is not allowed in "provider""#), true, "a top-level directive only")
    }
}
