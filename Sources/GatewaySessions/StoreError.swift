// Why a session or identity store call failed, in terms a request handler can act on.

/// A struct over a private enum, so cases can be added without breaking callers.
/// Equality compares the kind only; `detail` is for logs.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case unavailable, conflict, notFound, corrupt
    }

    private let code: Code
    /// What went wrong, for logs and messages (the conflict's reason, the Redis error).
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The store is down or did not answer in time; the request may be retried later.
    public static let unavailable = StoreError(.unavailable, "")
    /// The change would break a rule (steal an identity, remove the last one); nothing changed.
    public static func conflict(_ reason: String) -> StoreError { StoreError(.conflict, reason) }
    /// The user or identity the call names does not exist.
    public static let notFound = StoreError(.notFound, "")
    /// Stored data that cannot be read back (bad JSON, wrong Redis type).
    public static let corrupt = StoreError(.corrupt, "")

    /// The same kind with a detail for logs.
    public func with(detail: String) -> StoreError { StoreError(code, detail) }

    public var isUnavailable: Bool { code == .unavailable }
    public var isConflict: Bool { code == .conflict }
    public var isNotFound: Bool { code == .notFound }
    public var isCorrupt: Bool { code == .corrupt }

    public static func == (a: StoreError, b: StoreError) -> Bool { a.code == b.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        let kind: String
        switch code {
        case .unavailable: kind = "store unavailable"
        case .conflict: kind = "conflict"
        case .notFound: kind = "not found"
        case .corrupt: kind = "corrupt stored data"
        }
        return detail.isEmpty ? kind : "\(kind): \(detail)"
    }
}
