// The published HMAC vectors: RFC 4231 for HMAC-SHA256 and RFC 2202 for HMAC-SHA1.
import GatewayCrypto
import XCTest

final class HMACVectorTests: XCTestCase {
    private let largeBlockKeyFirst = "Test Using Larger Than Block-Size Key - Hash Key First"

    /// RFC 4231 §4.2–4.8; test case 5 is truncated to 128 bits as the RFC prints it.
    func testHMACSHA256MatchesEveryRFC4231TestCase() {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            (
                [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
            ),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
            ),
            (
                Array(1...25), [UInt8](repeating: 0xcd, count: 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
            ),
            (
                [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
                "a3b6167473100ee06e0c796c2955552b"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131), Array(largeBlockKeyFirst.utf8),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array(
                    ("This is a test using a larger than block-size key and a larger than block-size data. "
                        + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
            ),
        ]
        for (n, c) in cases.enumerated() {
            let mac = MessageAuthentication.hmacSHA256(key: c.key, message: c.data)
            XCTAssertEqual(mac.count, 32)
            XCTAssertEqual(hex(Array(mac.prefix(c.mac.count / 2))), c.mac, "RFC 4231 test case \(n + 1)")
        }
    }

    /// RFC 2202 §3; test case 5 is checked in full (the RFC also prints the 96-bit truncation).
    func testHMACSHA1MatchesEveryRFC2202TestCase() {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8), "b617318655057264e28bc0b6fb378c8ef146be00"),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "125d7342b9ac11cd91a39af48aa17b4f63f175d3"
            ),
            (Array(1...25), [UInt8](repeating: 0xcd, count: 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
            (
                [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
                "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"
            ),
            (
                [UInt8](repeating: 0xaa, count: 80), Array(largeBlockKeyFirst.utf8),
                "aa4ae5e15272d00e95705637ce8a3b55ed402112"
            ),
            (
                [UInt8](repeating: 0xaa, count: 80),
                Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
                "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"
            ),
        ]
        for (n, c) in cases.enumerated() {
            XCTAssertEqual(
                hex(MessageAuthentication.hmacSHA1(key: c.key, message: c.data)), c.mac, "RFC 2202 test case \(n + 1)")
        }
    }

    func testAnEmptyKeyAndMessageStillMAC() {
        XCTAssertEqual(
            hex(MessageAuthentication.hmacSHA256(key: [], message: [])),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    func testAPreparedKeyGivesTheSameMACEveryTime() {
        let key = HMACKey(Array("Jefe".utf8))
        let message = Array("what do ya want for nothing?".utf8)
        XCTAssertEqual(key.mac(message), key.mac(message))
        XCTAssertEqual(key.mac(message), MessageAuthentication.hmacSHA256(key: Array("Jefe".utf8), message: message))
        XCTAssertEqual(HMACKey([1, 2, 3], algorithm: .sha1).mac([4]).count, 20)
    }
}
