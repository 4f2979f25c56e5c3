// How a message body is delimited (RFC 9112 §6.3).

public enum BodyFraming: Sendable, Equatable {
    /// No body at all.
    case none
    /// Exactly this many bytes (Content-Length).
    case length(UInt64)
    /// Transfer-Encoding: chunked.
    case chunked
    /// Responses only: the body runs until the server closes the connection.
    case untilClose
}
