// The names the account page gives sessions: a keyed hash of the id, never the id itself.
import GatewayCrypto
import GatewaySessions

/// A session id is a bearer secret, so the page (and its form actions, which end up in access
/// logs and browser history) shows `base64url(HMAC-SHA256(key, id))[..16 bytes]` instead. The
/// key is derived from `cookie_secret` for this use alone; a handle is only ever resolved
/// against the signed-in user's own sessions, so guessing one gains nothing.
struct SessionHandles: Sendable {
    private let key: HMACKey

    init(secret: String) {
        key = HMACKey(
            MessageAuthentication.hmacSHA256(key: Array(secret.utf8), message: Array("gateway session handle v1".utf8)))
    }

    func handle(_ id: SessionID) -> String {
        Base64URL.encode(Array(key.mac(Array(id.value.utf8)).prefix(16)))
    }

    /// The session among `sessions` whose handle is `handle` (compared in constant time).
    func find(_ handle: String, in sessions: [StoredSession]) -> StoredSession? {
        let wanted = Array(handle.utf8)
        var found: StoredSession?
        for session in sessions
        where MessageAuthentication.constantTimeEquals(Array(self.handle(session.id).utf8), wanted) {
            found = session
        }
        return found
    }
}
