// One of a user's sessions as the account page lists it: the id with its record.

public struct StoredSession: Sendable, Equatable {
    public var id: SessionID
    public var record: SessionRecord

    public init(id: SessionID, record: SessionRecord) {
        self.id = id
        self.record = record
    }
}

extension Array where Element == StoredSession {
    /// The order both stores return: oldest sign-in first, ties by id.
    func sortedForListing() -> [StoredSession] {
        sorted { ($0.record.createdAt, $0.id.value) < ($1.record.createdAt, $1.id.value) }
    }
}
