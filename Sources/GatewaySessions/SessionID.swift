// A session id: 256 random bits, written as base64url; what `session:{id}` keys and the cookie carry.
import GatewayAuth

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
        guard text.utf8.count == 43, let bytes = Base64URL.decode(text), bytes.count == 32 else { return nil }
        value = text
    }

    /// The Redis key that holds this session.
    public var storageKey: String { "session:" + value }

    /// Never the id itself: logs must not carry a bearer secret.
    public var description: String { "SessionID(redacted)" }
}
