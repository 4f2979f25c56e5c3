// What one TLSStream call did, in the terms a non-blocking event loop acts on.

/// The outcome of `TLSStream.read`, `write`, `handshake` or `shutdown`.
///
/// `.wantRead` / `.wantWrite` name the socket event to wait for before calling the *same*
/// method again, whichever method it was: a `read` can need the socket writable (a handshake
/// message or a TLS 1.3 ticket still to send) and a `write` readable (the handshake is not done).
public enum TLSIOResult: Sendable, Equatable {
    /// Bytes read into the buffer or taken from it (at least 1); `handshake()` returns `.bytes(0)`
    /// once the handshake is complete, and `shutdown()` once close_notify has gone out.
    case bytes(Int)
    case wantRead
    case wantWrite
    /// The peer ended the stream: close_notify, or EOF after the handshake. Nothing more comes.
    case closed
    /// The handshake failed (protocol, cipher, certificate) or the connection broke; the stream
    /// is unusable. The text is OpenSSL's reason and, for a client, the verification error.
    case failed(String)
}
