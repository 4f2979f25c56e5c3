// The gateway's cookies are cut out of Cookie values; every other cookie stays, in order.

import GatewayHTTP
import XCTest

final class CookieFilterTests: XCTestCase {
    private let filter = CookieFilter(names: ["__gateway", "__gateway_state"])

    private func filtered(_ value: String) -> CookieFilter.Result { filter.filter(bytes(value)[...]) }

    func testValueWithoutGatewayCookiesIsUnchanged() {
        XCTAssertEqual(filtered("a=1; b=2"), .unchanged)
        XCTAssertEqual(filtered(""), .unchanged)
        // Only the exact names: one that merely starts with the session name is the app's.
        XCTAssertEqual(filtered("__gateway2=x; __gatewayx=y; x__gateway=z"), .unchanged)
    }

    func testSessionAndStateCookiesAreRemovedOthersKeptInOrder() {
        XCTAssertEqual(filtered("a=1; __gateway=s3cret; b=2"), .filtered(bytes("a=1; b=2")))
        XCTAssertEqual(filtered("__gateway_state=st;a=1;__gateway=s"), .filtered(bytes("a=1")))
        XCTAssertEqual(filtered("  a=1 ;\t__gateway=s ;  c=3  "), .filtered(bytes("a=1; c=3")))
        XCTAssertEqual(filtered("a=1; __gateway =s"), .filtered(bytes("a=1")), "space before '=' is still that name")
    }

    /// Found by the cookie-session fuzz target: joining every kept pair with "; " made a field of
    /// many short cookies longer than the client sent it.
    func testTheFilteredFieldIsNeverLongerThanTheClientsAndKeepsItsSeparators() {
        let dense = String(repeating: "a;", count: 14) + "__gateway=s"
        guard case .filtered(let rest) = filtered(dense) else { return XCTFail("the session cookie was not cut") }
        XCTAssertEqual(rest, bytes(String(repeating: "a;", count: 13) + "a"))
        XCTAssertLessThanOrEqual(rest.count, dense.utf8.count)
        XCTAssertEqual(filtered("a=1;b=2;__gateway=s;c=3"), .filtered(bytes("a=1;b=2;c=3")))
        XCTAssertEqual(filtered("a=1;\t\tb=2; __gateway=s;  c=3"), .filtered(bytes("a=1; b=2; c=3")))
    }

    func testHostPrefixedSpellingIsRemovedToo() {
        XCTAssertEqual(filtered("__Host-__gateway=s; z=9"), .filtered(bytes("z=9")))
        XCTAssertEqual(filtered("__host-__gateway=s; z=9"), .unchanged, "cookie names are case-sensitive")
    }

    func testAttemptCookiesAreRemovedByPrefix() {
        let attempts = CookieFilter(names: ["__gateway"], prefixes: ["__gateway_state_"])
        XCTAssertEqual(
            attempts.filter(bytes("a=1; __gateway_state_AbCd1234=sealed; __Host-__gateway_state_x=y; b=2")[...]),
            .filtered(bytes("a=1; b=2")))
        XCTAssertEqual(attempts.filter(bytes("__gateway_state_=x; __gateway_statex=y")[...]), .unchanged, "prefix alone or another name")
    }

    func testOnlyGatewayCookiesLeavesNothing() {
        XCTAssertEqual(filtered("__gateway=s"), .empty)
        XCTAssertEqual(filtered("__gateway=s; __gateway_state=t;"), .empty)
        XCTAssertEqual(filtered("__gateway"), .empty, "a bare name is that cookie too")
    }

    func testNoNamesFiltersNothing() {
        XCTAssertEqual(CookieFilter(names: []).filter(bytes("__gateway=s")[...]), .unchanged)
    }
}
