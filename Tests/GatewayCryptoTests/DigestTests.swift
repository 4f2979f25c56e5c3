// SHA-256 against the FIPS 180 examples (SHA-1 is tested in GatewayHTTPTests).
import GatewayCrypto
import XCTest

final class DigestTests: XCTestCase {
    func testSHA256MatchesFIPS180Examples() {
        XCTAssertEqual(
            hex(Digest.sha256(Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(Digest.sha256([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
