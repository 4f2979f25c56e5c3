// Proof Key for Code Exchange (RFC 7636) with the S256 method only.
import GatewayCrypto

/// A PKCE verifier and its S256 challenge. The verifier stays with us (in the sign-in state);
/// the challenge goes to the authorization endpoint.
public struct PKCE: Sendable, Hashable {
    public static let method = "S256"

    /// 43 characters of base64url: 32 random bytes (RFC 7636 §4.1 recommends exactly this).
    public let verifier: String

    /// A fresh random verifier.
    public init() {
        verifier = SecureRandom.token(bytes: 32)
    }

    /// An existing verifier, if it is 43...128 unreserved characters (RFC 7636 §4.1).
    public init?(verifier: String) {
        let allowed = verifier.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }
        guard allowed, (43...128).contains(verifier.utf8.count) else { return nil }
        self.verifier = verifier
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public var challenge: String { Self.challenge(for: verifier) }

    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Digest.sha256(Array(verifier.utf8)))
    }
}
