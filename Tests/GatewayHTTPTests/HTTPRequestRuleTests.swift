// Every strictness rule for request heads, one test per rule, each a table of raw heads.

import GatewayHTTP
import XCTest

final class HTTPRequestRuleTests: XCTestCase {
    private func request(_ fields: String, version: String = "HTTP/1.1") -> String {
        "POST /upload \(version)\r\nHost: example.com\r\n\(fields)\r\n"
    }

    func testRejectsContentLengthWithTransferEncoding() {
        assertRequestError(
            request("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), .contentLengthWithTransferEncoding)
        assertRequestError(
            request("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), .contentLengthWithTransferEncoding)
        XCTAssertEqual(HTTPParseError.contentLengthWithTransferEncoding.status, 400)
    }

    func testRejectsDuplicateContentLength() {
        assertRequestError(request("Content-Length: 5\r\nContent-Length: 5\r\n"), .duplicateContentLength)
        assertRequestError(request("Content-Length: 5\r\ncontent-length: 6\r\n"), .duplicateContentLength)
        assertRequestError(request("Content-Length: 5, 5\r\n"), .duplicateContentLength)
        assertRequestError(request("Content-Length: 5,5\r\n"), .duplicateContentLength)
        assertRequestError(request("Content-Length: ,5\r\n"), .duplicateContentLength)
    }

    func testRejectsInvalidContentLength() {
        for value in ["", "abc", "+5", "-5", "5 5", "5.0", "0x5", "1e3", "1234567890123456789", "\u{665}"] {
            assertRequestError(request("Content-Length: \(value)\r\n"), .invalidContentLength)
        }
    }

    /// Found by HTTPDifferentialTests: llhttp (Node) refuses an HTAB after a framing value, so we do too.
    func testRejectsTabAfterFramingValues() {
        for value in ["5\t", "5 \t", "5\t "] {
            assertRequestError(request("Content-Length: \(value)\r\n"), .invalidContentLength)
        }
        for value in ["chunked\t", "chunked \t"] {
            assertRequestError(request("Transfer-Encoding: \(value)\r\n"), .unsupportedTransferEncoding)
        }
        // Before the value it is plain OWS, and llhttp agrees.
        guard case .complete(let head, _) = parseRequest(bytes(request("Content-Length:\t5 \r\n"))) else {
            return XCTFail("Content-Length:<HTAB>5 is valid")
        }
        XCTAssertEqual(head.framing, .length(5))
        guard case .complete(let chunked, _) = parseRequest(bytes(request("Transfer-Encoding:\tchunked\r\n"))) else {
            return XCTFail("Transfer-Encoding:<HTAB>chunked is valid")
        }
        XCTAssertEqual(chunked.framing, .chunked)
    }

    func testRejectsTransferEncodingOtherThanSingleChunked() {
        for value in ["gzip, chunked", "chunked, chunked", "identity", "gzip", "chunked;q=1", "chunked,", ""] {
            assertRequestError(request("Transfer-Encoding: \(value)\r\n"), .unsupportedTransferEncoding)
        }
        assertRequestError(
            request("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), .unsupportedTransferEncoding)
        XCTAssertEqual(HTTPParseError.unsupportedTransferEncoding.status, 400)
    }

    func testRejectsTransferEncodingInHTTP10() {
        assertRequestError("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10)
    }

    func testRejectsBareCR() {
        assertRequestError("GET / HTTP/1.1\rHost: a\r\n\r\n", .bareCR)
        assertRequestError(request("X-A: a\rb\r\n"), .bareCR)
        assertRequestError(request("X-A: a\r\r\n"), .bareCR)
        assertRequestError("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", .bareCR)
    }

    func testRejectsBareLF() {
        assertRequestError("GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLF)
        assertRequestError(request("X-A: a\n"), .bareLF)
        assertRequestError("GET / HTTP/1.1\r\nHost: a\r\n\n", .bareLF)
        assertRequestError("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .bareLF)
    }

    func testRejectsControlCharactersInTheHead() {
        for control in ["\u{0}", "\u{1}", "\u{1B}", "\u{7F}", "\u{B}", "\u{C}"] {
            assertRequestError(request("X-A: a\(control)b\r\n"), .controlCharacterInHead)
            assertRequestError(request("X\(control)A: b\r\n"), .controlCharacterInHead)
            assertRequestError("GET /\(control) HTTP/1.1\r\nHost: a\r\n\r\n", .controlCharacterInHead)
        }
        // The scanner skips 8 bytes at a time: a control must be found at every offset in a word.
        for offset in 0..<24 {
            for control in ["\u{0}", "\u{1F}", "\u{7F}", "\r", "\n"] {
                let value = String(repeating: "v", count: offset) + control + String(repeating: "w", count: 24)
                let expected: HTTPParseError =
                    control == "\r" ? .bareCR : control == "\n" ? .bareLF : .controlCharacterInHead
                assertRequestError(request("X-A: \(value)\r\n"), expected)
            }
        }
        // Detected as it arrives, before the line ends.
        assertRequestError("GET / HTTP/1.1\r\nHost: a\u{0}", .controlCharacterInHead)
        // HTAB is fine inside a value but not in the request line or a name.
        assertRequestError("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .controlCharacterInHead)
        assertRequestError(request("X\tA: b\r\n"), .invalidHeaderName)
    }

    func testRejectsWhitespaceBeforeColon() {
        assertRequestError(request("Content-Length : 5\r\n"), .whitespaceBeforeColon)
        assertRequestError(request("X-A\t: b\r\n"), .whitespaceBeforeColon)
        assertRequestError("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon)
    }

    func testRejectsObsFold() {
        assertRequestError(request("X-A: a\r\n b\r\n"), .obsFold)
        assertRequestError(request("X-A: a\r\n\tb\r\n"), .obsFold)
        assertRequestError("GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsFold)
    }

    func testRejectsInvalidHeaderNames() {
        for line in ["X(A: b", "X@A: b", "X/A: b", ": b", "NoColon", "Foo Bar: b", "X\u{E9}: b", "X\"A: b", "[A]: b"] {
            assertRequestError(request("\(line)\r\n"), .invalidHeaderName)
        }
    }

    func testRejectsConnectionThatIsNotATokenList() {
        assertRequestError(request("Connection: keep alive\r\n"), .invalidHeaderValue)
        assertRequestError(request("Connection: close; x\r\n"), .invalidHeaderValue)
        XCTAssertEqual(
            requestHead(request("Connection: , close,,X-Y ,\r\n"))?.connectionTokens, [bytes("close"), bytes("x-y")])
    }

    func testRejectsInvalidMethod() {
        for method in ["G(ET", "GE\"T", "G\u{C9}T", "GET:"] {
            assertRequestError("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod)
        }
    }

    /// Tokens, but not methods the gateway takes (nginx's rule: A-Z, `-`, `_`): a lower-case
    /// `get` is not GET to every upstream, and `helloGET` is a body that overran its framing.
    func testRejectsMethodsWithLowerCaseOrOtherTokenCharacters() {
        for method in ["get", "Get", "helloGET", "GET1", "G.ET", "G!T", "M~S"] {
            assertRequestError("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod)
        }
        for method in ["PROPFIND", "VERSION-CONTROL", "M-SEARCH", "X_CUSTOM"] {
            XCTAssertEqual(requestHead("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n")?.methodString, method)
        }
    }

    func testRejectsRequestLinesWithoutExactlyOneSpaceBetweenParts() {
        for line in [
            "GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET / HTTP/1.1 ", " GET / HTTP/1.1", "GET /", "GET", "GET/ HTTP/1.1",
        ] {
            assertRequestError("\(line)\r\nHost: a\r\n\r\n", .invalidRequestLine)
        }
    }

    func testRejectsInvalidTargets() {
        let targets = [
            "GET index.html", "GET /a b", "GET /caf\u{E9}", "GET * ", "GET ftp://a/", "GET http:///x",
            "GET http://user@a/", "GET http://a b/", "GET http://[::1/", "GET http://a:xx/", "GET a:80",
            "CONNECT /", "CONNECT a.example", "CONNECT http://a:443", "CONNECT a:", "OPTIONS *x",
        ]
        for target in targets {
            let line = target.hasSuffix(" ") ? "\(target)HTTP/1.1" : "\(target) HTTP/1.1"
            assertRequestError("\(line)\r\nHost: a\r\n\r\n", .invalidTarget)
        }
    }

    func testRejectsMalformedVersion() {
        for version in ["HTTP/1.10", "HTTP/1", "http/1.1", "HTTP/1.1x", "HTTP/11", "HTTP/a.b", "HTTPS/1.1", "HTTP/1,1"]
        {
            assertRequestError("GET / \(version)\r\nHost: a\r\n\r\n", .invalidVersion)
        }
    }

    func testAnswers505ForWellFormedUnsupportedVersions() {
        for version in ["HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.0"] {
            assertRequestError("GET / \(version)\r\nHost: a\r\n\r\n", .unsupportedVersion)
        }
        XCTAssertEqual(HTTPParseError.unsupportedVersion.status, 505)
    }

    func testRequiresHostInHTTP11() {
        assertRequestError("GET / HTTP/1.1\r\nX-A: b\r\n\r\n", .missingHost)
        assertRequestError("GET http://a/ HTTP/1.1\r\n\r\n", .missingHost)
    }

    func testRejectsDuplicateHost() {
        assertRequestError("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", .duplicateHost)
        assertRequestError("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", .duplicateHost)
    }

    func testRejectsInvalidHost() {
        for host in ["a b", "a/b", "user@a", "a:xx", "a:123456", "[::1", "[]", ":80", "a:", "a%zz", "a?b"] {
            assertRequestError("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n", .invalidHost)
        }
    }

    func testAnswers431AsSoonAsTheHeadExceedsTheLimit() {
        // No end of head in sight: detected from the byte count alone.
        let long = "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + String(repeating: "a", count: 100)
        assertRequestError(long, .headTooLarge, maxHeadSize: 64)
        // Up to the limit it only waits.
        XCTAssertTrue(parseRequest(Array(bytes(long).prefix(64)), maxHeadSize: 64).isNeedMore)
        XCTAssertEqual(parseRequest(Array(bytes(long).prefix(65)), maxHeadSize: 64).error, .headTooLarge)
        // Skipped empty lines count too, so a CRLF flood cannot grow the buffer.
        assertRequestError(String(repeating: "\r\n", count: 40), .headTooLarge, maxHeadSize: 64)
        XCTAssertEqual(HTTPParseError.headTooLarge.status, 431)
    }
}
