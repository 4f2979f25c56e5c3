// Over https the gateway's cookies carry `__Host-`, which browsers tie to Secure, Path=/, no Domain.
import XCTest

@testable import GatewaySignIn

final class SessionCookieNameTests: XCTestCase {
    func testHTTPSPublicURLGivesHostPrefixedCookiesThatSubdomainsCannotToss() {
        let names = SignInContext.cookieNames("__gateway", https: true)
        XCTAssertEqual(names.session, "__Host-__gateway")
        XCTAssertEqual(names.state, "__Host-__gateway_state")
        let set = HTTPText.setCookie(name: names.session, value: "v", maxAge: 60, secure: true)
        XCTAssertTrue(set.hasPrefix("__Host-__gateway=v; Path=/;"), set)
        XCTAssertTrue(set.contains("; Secure"), set)
        XCTAssertFalse(set.contains("Domain"), set)
    }

    func testPlainHTTPKeepsTheConfiguredNameAndAPrefixIsNotDoubled() {
        XCTAssertEqual(SignInContext.cookieNames("__gateway", https: false).session, "__gateway")
        XCTAssertEqual(SignInContext.cookieNames("__gateway", https: false).state, "__gateway_state")
        XCTAssertEqual(SignInContext.cookieNames("__Host-sid", https: true).session, "__Host-sid")
    }
}
