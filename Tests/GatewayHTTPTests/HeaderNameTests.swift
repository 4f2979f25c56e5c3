// Field names compare after lowercasing with `_` and `.` read as `-`.

import GatewayHTTP
import XCTest

final class HeaderNameTests: XCTestCase {
    func testNormalisedComparisonFoldsCaseUnderscoresAndDots() {
        let name = HeaderName.normalized("X-Auth-User-Id".utf8)
        XCTAssertEqual(text(name[...]), "x-auth-user-id")
        for alias in ["X-Auth-User-Id", "x-auth-user-id", "X_Auth_User_Id", "X.Auth.User.Id", "x_AUTH.user-ID"] {
            XCTAssertTrue(HeaderName.normalizedEquals(bytes(alias)[...], name), alias)
        }
        for other in ["X-Auth-User", "X-Auth-User-Ids", "X+Auth+User+Id", "X-Auth-User-I", "X Auth User Id"] {
            XCTAssertFalse(HeaderName.normalizedEquals(bytes(other)[...], name), other)
        }
    }

    func testSetMatchesAnyConfiguredNameInAnySpelling() {
        let set = HeaderNameSet(["X-Auth-User", "X-Auth-Email", "X-Forwarded-Email", "x-auth-user"])
        XCTAssertTrue(set.contains(bytes("X_Auth_User")[...]))
        XCTAssertTrue(set.contains(bytes("x.forwarded.email")[...]))
        XCTAssertTrue(set.contains(bytes("X-AUTH-EMAIL")[...]))
        XCTAssertFalse(set.contains(bytes("X-Auth-Name")[...]))
        XCTAssertFalse(set.contains(bytes("")[...]))
    }

    func testUnderscoreDetection() {
        XCTAssertTrue(HeaderName.containsUnderscore(bytes("X_Custom")[...]))
        XCTAssertFalse(HeaderName.containsUnderscore(bytes("X-Custom")[...]))
    }
}
