// A cross-site Origin never passes for the gateway's own, however it is spelled.

import GatewayConfig
import XCTest

@testable import GatewayProxy

final class OriginCheckTests: XCTestCase {
    private let own = [
        PublicURL(isHTTPS: true, host: "app.example.com", port: nil),
        PublicURL(isHTTPS: false, host: "localhost", port: 3000),
    ]

    private func allowed(_ origin: String) -> Bool { OriginCheck.isAllowed(Array(origin.utf8), allowed: own) }

    func testOwnOriginsInAnySpelling() {
        XCTAssertTrue(allowed("https://app.example.com"))
        XCTAssertTrue(allowed("https://APP.example.com:443"))
        XCTAssertTrue(allowed("http://localhost:3000"))
    }

    func testOtherSitesAndLookAlikes() {
        XCTAssertFalse(allowed("http://app.example.com"))
        XCTAssertFalse(allowed("https://app.example.com:8443"))
        XCTAssertFalse(allowed("https://app.example.com.evil.com"))
        XCTAssertFalse(allowed("https://evil.com"))
        XCTAssertFalse(allowed("null"))
        XCTAssertFalse(allowed("http://localhost"))
    }
}
