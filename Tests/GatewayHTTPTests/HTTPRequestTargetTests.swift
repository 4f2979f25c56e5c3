// The four request-target forms and how absolute-form is split into authority and path.

import GatewayHTTP
import XCTest

final class HTTPRequestTargetTests: XCTestCase {
    func testSplitsAbsoluteFormIntoAuthorityAndPath() throws {
        let head = try XCTUnwrap(
            requestHead("GET http://Upstream.example:8080/a/b?c=d HTTP/1.1\r\nHost: other\r\n\r\n"))
        XCTAssertEqual(text(head.absoluteFormAuthority), "Upstream.example:8080")
        XCTAssertEqual(text(head.host), "Upstream.example:8080", "the target's authority wins over Host")
        XCTAssertEqual(head.pathString, "/a/b?c=d")
        XCTAssertEqual(text(head.headers.bytes[head.target]), "http://Upstream.example:8080/a/b?c=d")
    }

    func testGivesAbsoluteFormWithoutPathTheRootPath() {
        let cases = [
            ("http://a.example", "a.example", "/"),
            ("HTTPS://a.example", "a.example", "/"),
            ("https://a.example?q=1", "a.example", "/?q=1"),
            ("http://[::1]:8443/x", "[::1]:8443", "/x"),
        ]
        for (target, authority, path) in cases {
            let head = requestHead("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(text(head?.absoluteFormAuthority), authority, target)
            XCTAssertEqual(head?.pathString, path, target)
        }
    }

    func testAcceptsAsteriskOnlyWithOptions() {
        XCTAssertEqual(requestHead("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")?.pathString, "*")
        assertRequestError("GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
    }

    func testAcceptsAuthorityFormOnlyWithConnect() {
        let head = requestHead("CONNECT db.example:5432 HTTP/1.1\r\nHost: db.example:5432\r\n\r\n")
        XCTAssertEqual(head?.methodKind, .connect)
        XCTAssertEqual(head?.pathString, "db.example:5432")
        XCTAssertNil(head?.absoluteFormAuthority)
        XCTAssertEqual(text(head?.host), "db.example:5432")
        assertRequestError("GET db.example:5432 HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
        assertRequestError("CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
    }

    func testKeepsOriginFormAsIs() {
        let target = "/a/../b//c?x=%20&y=~!$&'()*+,;=:@"
        XCTAssertEqual(requestHead("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n")?.pathString, target)
    }
}
