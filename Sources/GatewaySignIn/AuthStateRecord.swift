// What the gateway remembers between the redirect to a provider and its callback.

/// Carried by the browser in a sealed cookie (see `SignInStateCookies`), so a flood of sign-in
/// starts costs the gateway no memory. Encoded as length-prefixed fields, smaller than JSON so
/// a few parallel attempts fit the Cookie field.
struct AuthStateRecord: Sendable, Equatable {
    var provider: String
    /// The random `state` sent to the provider (OAuth 1.0a: the request token).
    var state: String
    var nonce: String
    /// The PKCE code verifier (OAuth 2 / OIDC), or the request-token secret (OAuth 1.0a).
    var verifier: String
    /// Where to go after sign-in; already checked to be a relative path.
    var next: String
    /// Set for `?link=1`: the signed-in user the new identity joins.
    var linkUserID: String?
    /// Filled in from the sealed value's stamp when opened.
    var createdAt: Int64

    /// How long a sign-in may take between redirect and callback.
    static let lifetimeSeconds = 600
    private static let version: UInt8 = 1

    /// version, then provider, state, nonce, verifier, next, link user id (empty when none),
    /// each a big-endian UInt16 length and the UTF-8 bytes. `createdAt` travels in the seal.
    func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.version]
        for field in [provider, state, nonce, verifier, next, linkUserID ?? ""] {
            let bytes = Array(field.utf8.prefix(Int(UInt16.max)))
            out += [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        }
        return out
    }

    /// nil for anything but exactly the fields `encoded()` writes.
    init?(decoding bytes: [UInt8], createdAt: Int64) {
        guard bytes.first == Self.version else { return nil }
        var fields: [String] = []
        var i = 1
        while i < bytes.count {
            guard i + 2 <= bytes.count else { return nil }
            let length = Int(bytes[i]) << 8 | Int(bytes[i + 1])
            i += 2
            guard i + length <= bytes.count, let field = String(validating: bytes[i..<(i + length)], as: UTF8.self)
            else { return nil }
            fields.append(field)
            i += length
        }
        guard fields.count == 6 else { return nil }
        self.init(
            provider: fields[0], state: fields[1], nonce: fields[2], verifier: fields[3], next: fields[4],
            linkUserID: fields[5].isEmpty ? nil : fields[5], createdAt: createdAt)
    }

    init(
        provider: String, state: String, nonce: String, verifier: String, next: String, linkUserID: String?,
        createdAt: Int64
    ) {
        self.provider = provider
        self.state = state
        self.nonce = nonce
        self.verifier = verifier
        self.next = next
        self.linkUserID = linkUserID
        self.createdAt = createdAt
    }
}
