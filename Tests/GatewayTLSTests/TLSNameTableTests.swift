// SNI name matching: exact names first, wildcards cover one label, the earlier certificate wins.

import XCTest

@testable import GatewayTLS

final class TLSNameTableTests: XCTestCase {
    func testExactBeatsWildcardAndWildcardsCoverOneLabel() {
        let table = TLSNameTable(names: [["*.example.com", "example.com"], ["api.example.com"], ["api.example.com"]])
        XCTAssertEqual(table.index(for: "api.example.com"), 1)
        XCTAssertEqual(table.index(for: "API.Example.COM."), 1)
        XCTAssertEqual(table.index(for: "www.example.com"), 0)
        XCTAssertEqual(table.index(for: "example.com"), 0)
        XCTAssertNil(table.index(for: "a.b.example.com"))
        XCTAssertNil(table.index(for: "other.org"))
        XCTAssertNil(table.index(for: ".example.com"))
    }

    func testIgnoresPartialWildcards() {
        let table = TLSNameTable(names: [["w*.example.com", "*"]])
        XCTAssertNil(table.index(for: "www.example.com"))
        XCTAssertNil(table.index(for: "localhost"))
    }
}
