// The outcome of one call to an incremental head parser.

public enum HTTPParseResult<Head: Sendable>: Sendable {
    /// The head is not complete yet: append more bytes and call again.
    case needMore
    /// A complete head; `consumed` bytes of the buffer belong to it (leading empty lines included).
    case complete(Head, consumed: Int)
    /// The bytes break a rule; answer `error.status` and close the connection.
    case failure(HTTPParseError)
}
