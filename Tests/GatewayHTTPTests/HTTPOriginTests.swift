// Origin values are compared as parsed origins: scheme, host and port with defaults.

import XCTest

@testable import GatewayHTTP

final class HTTPOriginTests: XCTestCase {
    private func parse(_ text: String) -> HTTPOrigin? { HTTPOrigin.parse(Array(text.utf8)) }

    func testDefaultPortsAndCaseFold() {
        XCTAssertEqual(parse("https://App.Example.com"), HTTPOrigin(isHTTPS: true, host: "app.example.com", port: 443))
        XCTAssertEqual(parse("HTTPS://app.example.com:443"), parse("https://app.example.com"))
        XCTAssertEqual(parse("http://localhost:8080"), HTTPOrigin(isHTTPS: false, host: "localhost", port: 8080))
        XCTAssertEqual(parse("http://[::1]:3000")?.host, "[::1]")
        XCTAssertNotEqual(parse("http://app.example.com"), parse("https://app.example.com"))
        XCTAssertNotEqual(parse("https://app.example.com:8443"), parse("https://app.example.com"))
    }

    func testRefusesWhatIsNotAnOrigin() {
        for bad in [
            "null", "", "https://", "ftp://a.example", "https://user@a.example", "https://a.example/",
            "https://a.example/x", "https://a.example?x", "https://a.example.", "https://a.example:0",
            "https://a.example:99999", "https://a.example:", "https://a exa", "https://a.example.evil.com@b",
            "https://a.example%2f", "//a.example",
        ] {
            XCTAssertNil(parse(bad), bad)
        }
    }
}
