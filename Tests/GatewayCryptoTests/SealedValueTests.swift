// Sealed values open only intact, under their key and binding, and while young enough.
import XCTest

@testable import GatewayCrypto

final class SealedValueTests: XCTestCase {
    private let sealer = SealedValue(secret: "0123456789abcdef0123456789abcdef", purpose: "sign-in state", maxAge: 600)
    private let now: Int64 = 1_800_000_000
    private let payload = Array("state=abc; verifier=xyz".utf8)

    func testRoundTripKeepsThePayloadAndCreationTime() throws {
        let sealed = sealer.seal(payload, binding: "cookie_a", now: now)
        let opened = try XCTUnwrap(sealer.open(sealed, binding: "cookie_a", now: now + 5))
        XCTAssertEqual(opened.payload, payload)
        XCTAssertEqual(opened.createdAt, now)
        XCTAssertEqual(sealer.open(sealer.seal([], now: now), now: now)?.payload, [])
    }

    func testThePayloadIsNotReadableAndEachSealIsFresh() {
        let a = sealer.seal(payload, now: now)
        let b = sealer.seal(payload, now: now)
        XCTAssertNotEqual(a, b, "a fresh nonce per seal")
        let bytes = Base64URL.decode(a)!
        XCTAssertNil(bytes.firstRange(of: Array("verifier".utf8)), "the payload is encrypted")
        XCTAssertEqual(bytes.count, payload.count + SealedValue.overhead)
    }

    func testChangingAnyByteRefusesTheValue() {
        let bytes = Base64URL.decode(sealer.seal(payload, now: now))!
        for i in bytes.indices {
            var tampered = bytes
            tampered[i] ^= 0x01
            XCTAssertNil(sealer.open(Base64URL.encode(tampered), now: now), "byte \(i)")
        }
    }

    func testWrongKeyPurposeOrBindingRefusesTheValue() {
        let sealed = sealer.seal(payload, binding: "cookie_a", now: now)
        let otherSecret = SealedValue(
            secret: "another secret of at least 32 bytes!", purpose: "sign-in state", maxAge: 600)
        let otherPurpose = SealedValue(secret: "0123456789abcdef0123456789abcdef", purpose: "session", maxAge: 600)
        XCTAssertNil(otherSecret.open(sealed, binding: "cookie_a", now: now))
        XCTAssertNil(otherPurpose.open(sealed, binding: "cookie_a", now: now))
        XCTAssertNil(sealer.open(sealed, binding: "cookie_b", now: now))
    }

    func testTruncatedOrGarbageValuesAreRefused() {
        let sealed = sealer.seal(payload, now: now)
        for length in [0, 1, 10, 16, 27, 35, sealed.count - 1] {
            XCTAssertNil(sealer.open(String(sealed.prefix(length)), now: now), "length \(length)")
        }
        XCTAssertNil(sealer.open(sealed + "AA", now: now))
        XCTAssertNil(sealer.open("not base64url!", now: now))
    }

    func testExpiredOrFutureValuesAreRefused() {
        let sealed = sealer.seal(payload, now: now)
        XCTAssertNotNil(sealer.open(sealed, now: now + 600))
        XCTAssertNil(sealer.open(sealed, now: now + 601), "older than maxAge")
        XCTAssertNotNil(sealer.open(sealed, now: now - SealedValue.allowedSkew))
        XCTAssertNil(sealer.open(sealed, now: now - SealedValue.allowedSkew - 1), "stamped in the future")
    }

    /// The GCM specification's test case 16 (AES-256, 96-bit IV, with additional data).
    func testAESGCMMatchesTheSpecificationVector() {
        let key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let nonce = hex("cafebabefacedbaddecaf888")
        let plain = hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
        )
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let expected = hex(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                + "76fc6ece0f4e1768cddf8853bb2d551b")
        XCTAssertEqual(AESGCM.seal(plain, key: key, nonce: nonce, aad: aad), expected)
        XCTAssertEqual(AESGCM.open(expected, key: key, nonce: nonce, aad: aad), plain)
    }

    private func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }
}
