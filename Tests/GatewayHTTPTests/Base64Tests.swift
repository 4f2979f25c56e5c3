// Standard base64: the RFC 4648 §10 vectors, and strict refusal of anything unpadded or foreign.

import GatewayHTTP
import XCTest

final class Base64Tests: XCTestCase {
    private let vectors = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    func testRFC4648Vectors() {
        for (plain, encoded) in vectors {
            XCTAssertEqual(text(Base64.encode(bytes(plain))), encoded)
            XCTAssertEqual(Base64.decode(bytes(encoded)).map { String(decoding: $0, as: UTF8.self) }, plain)
        }
        XCTAssertEqual(Base64.encode([0xFB, 0xFF]), bytes("+/8="))
    }

    func testRefusesUnpaddedURLSafeAndMisplacedPadding() {
        for bad in ["Zg", "Zm8", "-_8=", "Z===", "Zg==Zg==", "Zm=v", "Zm9v\n"] {
            XCTAssertNil(Base64.decode(bytes(bad)), bad)
        }
    }
}
