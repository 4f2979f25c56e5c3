// A value that travels through the browser with an HMAC-SHA256 under cookie_secret: `value.mac`.

public struct SignedValue: Sendable {
    private let key: [UInt8]
    /// Separates uses (session cookie, state cookie) so a MAC made for one is useless for another.
    private let purpose: String

    public init(secret: String, purpose: String) {
        key = Array(secret.utf8)
        self.purpose = purpose
    }

    /// `value.base64url(HMAC(purpose + "\0" + value))`. `value` must not contain ".".
    public func sign(_ value: String) -> String {
        value + "." + Base64URL.encode(mac(value))
    }

    /// The value when the MAC matches (compared in constant time), else nil.
    public func verify(_ signed: String) -> String? {
        guard let dot = signed.utf8.lastIndex(of: 0x2E) else { return nil }
        let value = String(signed[..<dot])
        let macText = String(signed[signed.index(after: dot)...])
        guard !value.isEmpty, let given = Base64URL.decode(macText) else { return nil }
        return MessageAuthentication.constantTimeEquals(given, mac(value)) ? value : nil
    }

    private func mac(_ value: String) -> [UInt8] {
        MessageAuthentication.hmacSHA256(key: key, message: Array((purpose + "\u{0}" + value).utf8))
    }
}
