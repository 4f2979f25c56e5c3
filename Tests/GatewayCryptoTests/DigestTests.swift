// SHA-1 and SHA-256 against the FIPS 180 examples.
import GatewayCrypto
import XCTest

final class DigestTests: XCTestCase {
    func testSHA256MatchesFIPS180Examples() {
        XCTAssertEqual(
            hex(Digest.sha256(Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(Digest.sha256([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testSHA1MatchesFIPS180Examples() {
        XCTAssertEqual(hex(Digest.sha1(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(hex(Digest.sha1([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }
}
