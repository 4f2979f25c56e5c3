// A session id: 256 random bits, written as base64url; what `session:{id}` keys and the cookie carry.
import GatewayCrypto

public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// A fresh id from the CSPRNG.
    public static func generate() -> SessionID {
        SessionID(unchecked: SecureRandom.token(bytes: 32))
    }

    private init(unchecked value: String) {
        self.value = value
    }

    /// Accepts only the exact shape `generate()` makes: 43 base64url characters.
    public init?(_ text: String) {
        // 43 alphabet characters are 258 bits; the last character carries 2 bits of padding.
        guard Base64URL.isAlphabet(text, count: 43), let last = text.utf8.last, Self.endsOn256Bits(last) else {
            return nil
        }
        value = text
    }

    /// Whether the 43rd character's low 2 bits are zero, as in an encoding of exactly 32 bytes.
    private static func endsOn256Bits(_ c: UInt8) -> Bool {
        (Base64URL.sextet(c) ?? 63) & 0x03 == 0
    }

    /// The Redis key that holds this session.
    public var storageKey: String { "session:" + value }

    /// Never the id itself: logs must not carry a bearer secret.
    public var description: String { "SessionID(redacted)" }
}
