// The open-redirect corpus for `next`, and signed values.
import GatewayAuth
import GatewayCrypto
import XCTest

final class RedirectTargetTests: XCTestCase {
    func testOpenRedirectCorpusFallsBackToRoot() {
        let hostile = [
            "//evil.com", "/\\evil.com", "https://evil.com", "http:evil.com", "%2F%2Fevil.com", "/%2F/evil.com",
            "/%2f%2fevil.com", "/%5Cevil.com", "/%09/evil.com", "/\t/evil.com", "javascript:alert(1)",
            "JaVaScRiPt:alert(1)", "data:text/html,x", "evil.com", "", " /x", "/x\r\nSet-Cookie: a=b",
            "/%0d%0aSet-Cookie:a=b", "\\\\evil.com", "/\u{00}x", "/caf\u{e9}", "/%ZZ", "///evil.com",
        ]
        for candidate in hostile {
            XCTAssertEqual(RedirectTarget.sanitize(candidate), "/", candidate.debugDescription)
        }
        XCTAssertEqual(RedirectTarget.sanitize(nil), "/")
    }

    func testRelativePathsAreKept() {
        for path in ["/", "/app", "/app/page?x=1&y=%20z", "/a/b#frag", "/search?q=a%2Fb"] {
            XCTAssertEqual(RedirectTarget.sanitize(path), path)
        }
    }

    func testSignedValueRoundTripsAndRejectsTamperingAndOtherPurposes() {
        let session = SignedValue(secret: String(repeating: "k", count: 32), purpose: "session")
        let state = SignedValue(secret: String(repeating: "k", count: 32), purpose: "state")
        let signed = session.sign("abc")
        XCTAssertEqual(session.verify(signed), "abc")
        XCTAssertNil(state.verify(signed), "a MAC for one purpose must not work for another")
        XCTAssertNil(session.verify("abd" + signed.dropFirst(3)))
        XCTAssertNil(session.verify(signed + "x"))
        XCTAssertNil(session.verify("abc"))
        XCTAssertNil(session.verify(".xyz"))
        let other = SignedValue(secret: String(repeating: "j", count: 32), purpose: "session")
        XCTAssertNil(other.verify(signed), "a foreign secret's cookie is refused")
    }
}
