// `?link=1` starts only from our own site: Sec-Fetch-Site first, then Origin, then Referer.
import GatewayConfig
import GatewayTestSupport
import XCTest

@testable import GatewaySignIn

final class SameSiteNavigationTests: XCTestCase {
    private let own = PublicURL(isHTTPS: true, host: "app.example.com", port: nil)

    private func allowed(_ fields: [(String, String)]) -> Bool {
        SameSiteNavigation.isAllowed(requestHeaders(fields), publicURL: own)
    }

    func testSecFetchSiteDecidesWhenPresent() {
        XCTAssertTrue(allowed([("Sec-Fetch-Site", "same-origin")]))
        XCTAssertTrue(allowed([("Sec-Fetch-Site", "none")]), "a typed URL or bookmark")
        XCTAssertTrue(allowed([("Sec-Fetch-Site", "Same-Origin")]))
        XCTAssertFalse(allowed([("Sec-Fetch-Site", "same-site")]), "a sibling subdomain counts as foreign")
        XCTAssertFalse(allowed([("Sec-Fetch-Site", "cross-site")]))
        // A same-origin Referer cannot outvote the browser's own verdict.
        XCTAssertFalse(
            allowed([("Sec-Fetch-Site", "cross-site"), ("Referer", "https://app.example.com/auth/account")]))
    }

    func testOriginThenRefererWithoutSecFetchSite() {
        XCTAssertTrue(allowed([("Origin", "https://app.example.com")]))
        XCTAssertFalse(allowed([("Origin", "https://evil.example")]))
        XCTAssertFalse(allowed([("Origin", "null")]))
        XCTAssertTrue(allowed([("Referer", "https://app.example.com/auth/account?x=1")]))
        XCTAssertTrue(allowed([("Referer", "https://APP.example.com:443/")]))
        XCTAssertTrue(allowed([("Referer", "https://app.example.com")]))
        XCTAssertFalse(allowed([("Referer", "https://app.example.com.evil.example/")]))
        XCTAssertFalse(allowed([("Referer", "https://evil.example/?https://app.example.com/")]))
        XCTAssertFalse(allowed([("Referer", "http://app.example.com/")]), "another scheme is another origin")
        XCTAssertFalse(allowed([("Referer", "https://user@app.example.com/")]))
        XCTAssertFalse(allowed([("Referer", "/relative")]))
    }

    func testNoEvidenceIsRefused() {
        XCTAssertFalse(allowed([]))
    }
}
