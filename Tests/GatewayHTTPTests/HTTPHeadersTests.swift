// Field lookup on bytes, Connection tokens and hop-by-hop detection.

import GatewayHTTP
import XCTest

final class HTTPHeadersTests: XCTestCase {
    private let raw =
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nX-Trace: t\r\nset-cookie: b=2\r\n\r\n"

    func testLooksUpFieldsCaseInsensitively() throws {
        let headers = try XCTUnwrap(requestHead(raw)).headers
        XCTAssertEqual(headers.firstIndex("content-type"), 1)
        XCTAssertEqual(headers.firstValue("content-type").map(text), "text/plain")
        XCTAssertEqual(headers.firstValueString("set-cookie"), "a=1")
        XCTAssertEqual(headers.indices(of: "set-cookie"), [2, 4])
        XCTAssertTrue(headers.contains("x-trace"))
        XCTAssertFalse(headers.contains("x-trac"))
        XCTAssertFalse(headers.contains("x-tracer"))
        XCTAssertNil(headers.firstValue("authorization"))
        XCTAssertTrue(headers.nameEquals(at: 0, "host"))
        XCTAssertFalse(headers.nameEquals(at: 0, "hose"))
    }

    /// The parsers reserve room for a typical head's fields in one block small enough for
    /// glibc's per-thread cache (requests up to 1032 bytes; an array adds a 32-byte header),
    /// and a longer head still gets every field.
    func testTheFieldReservationFitsMallocsThreadCacheAndLongerHeadsKeepEveryField() throws {
        XCTAssertLessThanOrEqual(32 + HTTPHeaderField.typicalCount * MemoryLayout<HTTPHeaderField>.stride, 1032)
        XCTAssertGreaterThanOrEqual(HTTPHeaderField.typicalCount, 16, "a browser's head would need a second block")
        let count = 43  // past twice the reservation: the array had to grow
        XCTAssertGreaterThan(count, HTTPHeaderField.typicalCount * 2)
        let fields = (0..<count).map { "X-Field-\($0): v\($0)\r\n" }.joined()
        let headers = try XCTUnwrap(requestHead("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n")).headers
        XCTAssertEqual(headers.count, count + 1)
        XCTAssertTrue(headers.nameEquals(at: count, "x-field-42"), "the last field")
    }

    func testDoesNotConfuseNonLetterBytesWhenIgnoringCase() throws {
        // "^" | 0x20 == "~": only letters may be folded.
        let headers = try XCTUnwrap(requestHead("GET / HTTP/1.1\r\nHost: a\r\nX^: 1\r\n\r\n")).headers
        XCTAssertFalse(headers.nameEquals(at: 1, "x~"))
        XCTAssertTrue(headers.nameEquals(at: 1, "x^"))
    }

    func testCollectsLowercasedConnectionTokensFromEveryConnectionField() throws {
        let head = try XCTUnwrap(
            requestHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, X-Custom\r\nConnection: Upgrade\r\n\r\n"))
        // keep-alive is no token to keep: the Keep-Alive field is hop-by-hop in any case.
        XCTAssertEqual(head.connectionTokens, [bytes("x-custom"), bytes("upgrade")])
        XCTAssertTrue(head.keepAlive)
    }

    func testMarksHopByHopFieldsAndFieldsNamedInConnection() throws {
        let raw =
            [
                "GET / HTTP/1.1", "Host: a", "Connection: x-custom", "Keep-Alive: 5", "Proxy-Connection: k",
                "TE: trailers", "Trailer: x", "Upgrade: h2c", "Proxy-Authenticate: b", "Proxy-Authorization: c",
                "X-Custom: 1", "Content-Type: t", "Cookie: c", "X-Te: 2",
            ].joined(separator: "\r\n") + "\r\n\r\n"
        let parseResult = parseRequest(bytes(raw))
        let head = try XCTUnwrap(parseResult.head, "\(parseResult)")
        let hop = (0..<head.headers.count).filter {
            head.headers.isHopByHop(at: $0, connectionTokens: head.connectionTokens)
        }
        XCTAssertEqual(
            hop.map { text(head.headers.name(at: $0)) },
            [
                "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade", "Proxy-Authenticate",
                "Proxy-Authorization", "X-Custom",
            ])
        XCTAssertFalse(head.headers.isHopByHop(at: 10, connectionTokens: []), "X-Custom only through Connection")
    }

    func testHTTP2SettingsIsHopByHopEvenWhenConnectionDoesNotNameIt() throws {
        let head = try XCTUnwrap(requestHead("GET / HTTP/1.1\r\nHost: a\r\nHTTP2-Settings: AAMAAABk\r\n\r\n"))
        XCTAssertTrue(head.headers.isHopByHop(at: 1, connectionTokens: []))
    }

    func testResponseHeadsCollectConnectionTokensToo() {
        let head = responseHead("HTTP/1.1 200 OK\r\nConnection: close, X-Y\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(head?.connectionTokens, [bytes("close"), bytes("x-y")])
        XCTAssertEqual(head?.keepAlive, false)
    }
}
