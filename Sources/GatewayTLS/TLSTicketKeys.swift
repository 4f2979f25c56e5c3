// The keys that seal session tickets: made by the gateway, rotated, never written anywhere.
import CTLSShims

/// A two-key ring for session tickets (the keys live in C memory that is wiped when freed).
///
/// New tickets are sealed with the current key; tickets sealed with the current or the previous
/// key are accepted (one sealed with the previous key is replaced by a fresh ticket). The current
/// key is replaced once it is older than `rotationInterval`, checked as tickets are issued, and
/// whenever `rotate()` is called; so a key seals tickets for at most that long and opens them for
/// at most twice that. Share one ring between the old and the new context on a reload to keep
/// resumption working across it. Thread-safe: handshakes on every loop use it at once.
public final class TLSTicketKeys: @unchecked Sendable {
    /// Twelve hours: keys change at least twice a day.
    public static let defaultRotationInterval: Duration = .seconds(12 * 3600)

    let ring: OpaquePointer
    public let rotationInterval: Duration

    public init(rotationInterval: Duration = TLSTicketKeys.defaultRotationInterval) throws(TLSError) {
        let seconds = max(1, Int(rotationInterval.components.seconds))
        guard let ring = gw_tls_ticket_keys_new(seconds) else {
            throw TLSError(.invalidSettings, "cannot make session ticket keys (\(TLSError.drainOpenSSLReasons()))")
        }
        self.ring = ring
        self.rotationInterval = .seconds(seconds)
    }

    /// Makes a new current key now; the current one becomes the previous one and the previous
    /// one is wiped, so tickets sealed two rotations ago no longer resume.
    public func rotate() {
        _ = gw_tls_ticket_keys_rotate(ring)
    }

    /// How many times the ring has rotated (by time or by `rotate()`) since it was made.
    public var generation: Int { Int(gw_tls_ticket_keys_generation(ring)) }

    deinit { gw_tls_ticket_keys_free(ring) }
}
