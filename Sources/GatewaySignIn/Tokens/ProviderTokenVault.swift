// Seals a session's provider tokens for the store, and opens them again for the gate.
import GatewayAuth
import GatewayCrypto
import GatewaySessions

/// AES-256-GCM under a key derived from `cookie_secret` for this purpose alone, with the
/// session id as the binding: the store never sees a token in clear, and a sealed blob copied
/// into another session does not open there.
struct ProviderTokenVault: Sendable {
    private let sealer: SealedValue

    /// `lifetime`: the session lifetime; a blob lives at most that long after it was sealed
    /// (a day more, so a reload that shortens it does not strand live sessions at once).
    init(secret: String, lifetime: Int64) {
        sealer = SealedValue(secret: secret, purpose: "provider tokens", maxAge: max(lifetime, 1) + 86_400)
    }

    func seal(_ tokens: ProviderTokens, for id: SessionID, now: Int64) -> String {
        sealer.seal(tokens.encodedJSON(), binding: id.value, now: now)
    }

    /// The tokens and when they were sealed (when the provider issued them), or nil when the
    /// blob was changed, sealed for another session or under another secret.
    func open(_ sealed: String, for id: SessionID, now: Int64) -> (tokens: ProviderTokens, sealedAt: Int64)? {
        guard let opened = sealer.open(sealed, binding: id.value, now: now),
            let tokens = ProviderTokens(json: opened.payload)
        else { return nil }
        return (tokens, opened.createdAt)
    }

    /// Puts `tokens` into the record: sealed, with the access token's expiry in clear.
    func keep(_ tokens: ProviderTokens, in record: inout SessionRecord, for id: SessionID, now: Int64) {
        record.sealedTokens = seal(tokens, for: id, now: now)
        record.tokenExpiresAt = tokens.expiresAt
    }
}
