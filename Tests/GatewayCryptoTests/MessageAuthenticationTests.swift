// HMAC vectors from RFC 4231, constant-time comparison and base64url.
import GatewayCrypto
import XCTest

final class MessageAuthenticationTests: XCTestCase {
    func testHMACSHA256MatchesRFC4231TestCase2() {
        let mac = MessageAuthentication.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(
            mac.map { String(format: "%02x", $0) }.joined(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testConstantTimeEqualsComparesContentAndLength() {
        XCTAssertTrue(MessageAuthentication.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(MessageAuthentication.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(MessageAuthentication.constantTimeEquals([1, 2, 3], [1, 2]))
        XCTAssertTrue(MessageAuthentication.constantTimeEquals([], []))
    }

    func testBase64URLRoundTripsWithoutPadding() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) % 256) }
            let text = Base64URL.encode(bytes)
            XCTAssertFalse(text.contains("=") || text.contains("+") || text.contains("/"))
            XCTAssertEqual(Base64URL.decode(text), bytes)
        }
        XCTAssertEqual(Base64URL.encode(Array("foobar".utf8)), "Zm9vYmFy")
        XCTAssertEqual(Base64URL.encode([0xFB, 0xFF]), "-_8")
        XCTAssertNil(Base64URL.decode("a+b/"))
    }
}
