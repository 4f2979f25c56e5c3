// The accept value a 101 must carry, from RFC 6455's own example.

import GatewayHTTP
import XCTest

final class WebSocketAcceptTests: XCTestCase {
    func testRFC6455Section1_3Example() {
        let handshake = WebSocketHandshake(key: Array("dGhlIHNhbXBsZSBub25jZQ==".utf8))
        XCTAssertEqual(String(decoding: handshake.expectedAccept, as: UTF8.self), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    func testAnotherKeyGivesItsOwnAccept() {
        // Computed independently with Python's hashlib and base64.
        let handshake = WebSocketHandshake(key: Array("AQIDBAUGBwgJCgsMDQ4PEA==".utf8))
        XCTAssertEqual(String(decoding: handshake.expectedAccept, as: UTF8.self), "C/0nmHhBztSRGR1CwL6Tf4ZjwpY=")
    }
}
