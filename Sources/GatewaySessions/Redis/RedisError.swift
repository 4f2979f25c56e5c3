// Why a Redis command failed: the connection, the clock, the protocol, or the server's answer.

/// A struct over a private enum, so cases can be added without breaking callers.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case unavailable
        case timeout
        case protocolError
        case replyError(String)
    }

    private let base: Base

    /// Not connected (down, reconnecting, closed), or the connection dropped before the reply.
    public static let unavailable = RedisError(base: .unavailable)
    /// No reply within the command timeout.
    public static let timeout = RedisError(base: .timeout)
    /// A reply this client cannot represent, or hiredis refused to encode the command.
    public static let protocolError = RedisError(base: .protocolError)
    /// The server answered with an error reply (`-ERR ...`, `-NOSCRIPT ...`, `-WRONGTYPE ...`).
    public static func replyError(_ message: String) -> RedisError { RedisError(base: .replyError(message)) }

    /// The server's message when this is a reply error.
    public var replyMessage: String? {
        if case .replyError(let message) = base { return message }
        return nil
    }

    public var description: String {
        switch base {
        case .unavailable: return "redis unavailable"
        case .timeout: return "redis command timed out"
        case .protocolError: return "redis protocol error"
        case .replyError(let message): return "redis error reply: \(message)"
        }
    }
}
