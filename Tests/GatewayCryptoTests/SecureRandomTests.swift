// Random bytes come in the asked-for count and as unpadded base64url tokens.
import GatewayCrypto
import XCTest

final class SecureRandomTests: XCTestCase {
    func testBytesAndTokensHaveTheAskedForSize() {
        XCTAssertEqual(SecureRandom.bytes(0), [])
        XCTAssertEqual(SecureRandom.bytes(32).count, 32)
        let token = SecureRandom.token(bytes: 32)
        XCTAssertTrue(Base64URL.isAlphabet(token, count: 43))
        XCTAssertEqual(Base64URL.decode(token)?.count, 32)
    }

    func testTwoDrawsDiffer() {
        XCTAssertNotEqual(SecureRandom.bytes(16), SecureRandom.bytes(16))
    }
}
