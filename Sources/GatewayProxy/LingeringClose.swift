// The staged close after an answer that ends a connection with request bytes unread (RFC 9112 §9.6).
import GatewayCore

/// Closing a socket whose receive queue holds unread bytes makes the kernel send RST, and an RST
/// can destroy the answer in the client's receive queue before it is read: the client then never
/// sees its 400, 413, 431 or 401. So the write side is shut first (the client reads the answer,
/// then EOF) and the input is read and thrown away until the client closes or a bound is reached,
/// as nginx's `lingering_close` does.
struct LingeringClose {
    /// The whole staged close lasts at most this long (nginx `lingering_time`).
    static let totalTime: UInt64 = 30_000_000_000
    /// A client that sends nothing for this long is closed (nginx `lingering_timeout`).
    static let idleTime: UInt64 = 5_000_000_000
    /// At most this many bytes are read and thrown away.
    static let maxBytes = 8 * 1024 * 1024

    enum Action: Equatable { case keepReading, close }

    private let closeBy: UInt64
    private var idleUntil: UInt64
    private(set) var discarded = 0

    init(now: UInt64) {
        closeBy = now &+ Self.totalTime
        idleUntil = now &+ Self.idleTime
    }

    /// `n` more bytes were read and dropped.
    mutating func received(_ n: Int, now: UInt64) -> Action {
        discarded += n
        idleUntil = now &+ Self.idleTime
        return discarded >= Self.maxBytes || now >= closeBy ? .close : .keepReading
    }

    func isExpired(now: UInt64) -> Bool {
        now >= closeBy || now >= idleUntil
    }
}
