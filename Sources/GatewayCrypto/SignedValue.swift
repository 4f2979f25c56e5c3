// A value that travels through the browser with an HMAC-SHA256 under cookie_secret: `value.mac`.

/// Thread-safety: the keyed template is only read (duplicated) per MAC, so one instance may be
/// shared; the gateway still makes one per loop.
public struct SignedValue: Sendable {
    private let key: HMACKey
    /// Separates uses (session cookie, state cookie) so a MAC made for one is useless for another.
    private let purpose: [UInt8]

    public init(secret: String, purpose: String) {
        key = HMACKey(Array(secret.utf8))
        self.purpose = Array(purpose.utf8) + [0]
    }

    /// `value.base64url(HMAC(purpose + "\0" + value))`. `value` must not contain ".".
    public func sign(_ value: String) -> String {
        value + "." + Base64URL.encode(mac(Array(value.utf8)))
    }

    /// The value when the MAC matches (compared in constant time), else nil.
    public func verify(_ signed: String) -> String? {
        var signed = signed
        return signed.withUTF8 { bytes -> String? in
            guard let dot = bytes.lastIndex(of: 0x2E), dot > 0 else { return nil }
            let value = Array(bytes[..<dot])
            guard let given = Base64URL.decode(bytes[(dot + 1)...]) else { return nil }
            return MessageAuthentication.constantTimeEquals(given, mac(value))
                ? String(decoding: value, as: UTF8.self) : nil
        }
    }

    private func mac(_ value: [UInt8]) -> [UInt8] {
        key.mac(purpose + value)
    }
}
