// Signed values verify only unchanged, under their secret and purpose.
import GatewayCrypto
import XCTest

final class SignedValueTests: XCTestCase {
    private let signer = SignedValue(secret: "0123456789abcdef0123456789abcdef", purpose: "session")

    func testASignedValueVerifiesToItself() {
        let signed = signer.sign("abc")
        XCTAssertTrue(signed.hasPrefix("abc."))
        XCTAssertEqual(signer.verify(signed), "abc")
    }

    func testTheMACIsHMACSHA256OverPurposeAndValue() {
        let mac = MessageAuthentication.hmacSHA256(
            key: Array("0123456789abcdef0123456789abcdef".utf8),
            message: Array("session".utf8) + [0] + Array("abc".utf8))
        XCTAssertEqual(signer.sign("abc"), "abc." + Base64URL.encode(mac))
    }

    func testAChangedValueMACSecretOrPurposeIsRefused() {
        let signed = signer.sign("abc")
        XCTAssertNil(signer.verify("abd" + signed.dropFirst(3)))
        XCTAssertNil(signer.verify(String(signed.dropLast())))
        XCTAssertNil(signer.verify("abc"))
        XCTAssertNil(signer.verify(".abc"))
        XCTAssertNil(SignedValue(secret: "another secret, just as long as it", purpose: "session").verify(signed))
        XCTAssertNil(SignedValue(secret: "0123456789abcdef0123456789abcdef", purpose: "state").verify(signed))
    }
}
