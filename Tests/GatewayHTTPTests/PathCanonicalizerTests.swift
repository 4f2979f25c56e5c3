// Every spelling of a path canonicalises to one target, or is refused: a table of inputs.

import GatewayHTTP
import XCTest

final class PathCanonicalizerTests: XCTestCase {
    /// input → (forwarded, matching form)
    private let accepted: [(String, String, String)] = [
        ("/", "/", "/"),
        ("/a/b?x=1", "/a/b?x=1", "/a/b"),
        ("/adm%69n/", "/admin/", "/admin/"),
        ("/%7euser/%2D%2e%5F", "/~user/-._", "/~user/-._"),
        ("/caf%c3%a9", "/caf%C3%A9", "/caf%C3%A9"),
        ("/a%20b", "/a%20b", "/a%20b"),
        ("//a///b//", "/a/b/", "/a/b/"),
        ("/admin;x/", "/admin;x/", "/admin/"),
        ("/admin;x", "/admin;x", "/admin"),
        ("/a;p=1/b;q/c", "/a;p=1/b;q/c", "/a/b/c"),
        ("/;x/admin/", "/;x/admin/", "/admin/"),
        ("/admin%3bx/", "/admin%3Bx/", "/admin/"),
        ("/a/...", "/a/...", "/a/..."),
        ("/a/.x/..y", "/a/.x/..y", "/a/.x/..y"),
        ("/%23x", "/%23x", "/%23x"),
        ("/q?next=/a/../b&x=%00", "/q?next=/a/../b&x=%00", "/q"),
        ("/p?", "/p?", "/p"),
    ]

    private let refused: [(String, PathCanonicalizer.Rejection)] = [
        ("/a#b", .fragment), ("/q?a=1#f", .fragment), ("/q?a=%2e%2e/#", .fragment),
        ("/a/../b", .dotSegment), ("/a/./b", .dotSegment), ("/a/..", .dotSegment), ("/.", .dotSegment),
        ("/static/%2e%2e/admin", .dotSegment), ("/static/.%2E/admin", .dotSegment),
        ("/static/..;/admin/", .dotSegment), ("/a/.;x/b", .dotSegment), ("/a/%2e%2e%3b/b", .dotSegment),
        ("/a/..;jsessionid=1", .dotSegment),
        ("/a%2fb", .encodedSlash), ("/a%2Fb", .encodedSlash), ("/a%5cb", .encodedSlash), ("/a%5C..", .encodedSlash),
        ("/a\\b", .backslash), ("/static\\..\\x", .backslash),
        ("/a%00", .controlByte), ("/a%0A", .controlByte), ("/a%7f", .controlByte), ("/a%1b", .controlByte),
        ("/a%", .brokenEscape), ("/a%4", .brokenEscape), ("/a%zz", .brokenEscape), ("/a%%41", .brokenEscape),
        ("*", .notOriginForm), ("example.com:443", .notOriginForm),
    ]

    private func canonical(_ s: String, allowEncodedSlashes: Bool = false) -> CanonicalTarget? {
        if case .canonical(let t) = PathCanonicalizer.canonicalize(bytes(s), allowEncodedSlashes: allowEncodedSlashes) {
            return t
        }
        return nil
    }

    func testAcceptedSpellingsHaveOneCanonicalFormAndMatchingForm() {
        for (input, forwarded, matching) in accepted {
            guard let t = canonical(input) else {
                XCTFail("\(input) was refused")
                continue
            }
            XCTAssertEqual(text(t.forwarded), forwarded, input)
            XCTAssertEqual(text(t.matchPath), matching, input)
            XCTAssertEqual(
                text(t.path), forwarded.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "", input)
        }
    }

    func testRefusedSpellings() {
        for (input, reason) in refused {
            XCTAssertEqual(PathCanonicalizer.canonicalize(bytes(input)), .rejected(reason), input)
        }
    }

    func testEncodedSlashesAreKeptEncodedAndAreNoSeparatorWhenAllowed() throws {
        let t = try XCTUnwrap(canonical("/a%2fb/%5cc", allowEncodedSlashes: true))
        XCTAssertEqual(text(t.forwarded), "/a%2Fb/%5Cc")
        XCTAssertEqual(text(t.matchPath), "/a%2Fb/%5Cc")
        // Still no dot segment through the back door, for an upstream that decodes them.
        for input in ["/a/%2e%2e%2fb", "/a/b%2f..", "/a;x%2f../b", "/a%5c.%5cb"] {
            XCTAssertEqual(
                PathCanonicalizer.canonicalize(bytes(input), allowEncodedSlashes: true), .rejected(.dotSegment), input)
        }
        XCTAssertEqual(PathCanonicalizer.canonicalize(bytes("/a\\b"), allowEncodedSlashes: true), .rejected(.backslash))
    }

    func testAlreadyCanonicalPathIsItsOwnMatchingForm() throws {
        let t = try XCTUnwrap(canonical("/app/items/42?page=2"))
        XCTAssertEqual(text(t.forwarded), "/app/items/42?page=2")
        XCTAssertEqual(t.pathEnd, 13)
        XCTAssertEqual(text(t.matchPath), "/app/items/42")
    }
}
