// One loop's identity header blocks, by session: a user's next request reuses the block built
// for the last one while nothing it is built from has changed.
import GatewayConfig
import GatewaySessions

/// The block depends only on the session record and the location's header names (its
/// `identity_header` lines and its preset), so a hit is a block built from an equal record
/// under the same names: never a stale or another user's identity. A record that changed (a
/// new link, groups, a last-seen write) or another location's names build it again.
///
/// Why: building the block for every request of the same session was 2.5% of the cached
/// authenticated path's samples (seven header-name lookups, String appends, the identities
/// joined); a hit costs a dictionary lookup and a record comparison (its strings and arrays
/// are the cached record's own storage, so they compare by identity).
///
/// Bounded like the assertion cache: at `limit` entries it starts again empty.
/// Thread-safety: one per loop (`SignInContext`), used only on that loop's queue.
final class IdentityBlockCache {
    static let limit = 10_000

    /// A class: a dictionary lookup then hands out one reference, where a struct entry was a
    /// copy of the whole record (fifteen retains, and as many releases, per request).
    private final class Entry {
        /// Swapped for an equal record in other storage when one arrives (`block`).
        var record: SessionRecord
        let names: [IdentityField: String]
        let preset: HeaderPreset
        let block: [UInt8]

        init(record: SessionRecord, names: [IdentityField: String], preset: HeaderPreset, block: [UInt8]) {
            self.record = record
            self.names = names
            self.preset = preset
            self.block = block
        }
    }

    private var entries: [String: Entry] = [:]
    /// Blocks built (misses), for tests.
    private(set) var builds = 0

    var count: Int { entries.count }

    /// The record the entry for `session` was last checked against, for tests.
    func record(for session: String) -> SessionRecord? { entries[session]?.record }

    /// The block `IdentityHeaders.block(for: record, location: location)` would build, from
    /// the cache when the entry for `session` was built from an equal record under the same names.
    func block(for record: SessionRecord, session: String, location: LocationConfig) -> [UInt8] {
        if let hit = entries[session], hit.preset == location.headerPreset, hit.record == record,
            hit.names == location.identityHeaders
        {
            // An equal record in storage of its own (the session read back after a last-seen
            // write, or decoded again) is kept instead, so that the next request's comparison
            // is one pointer check and not every field.
            if !hit.record.sharesStorage(with: record) { hit.record = record }
            return hit.block
        }
        let block = IdentityHeaders.block(for: record, location: location)
        builds += 1
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[session] = Entry(record: record, names: location.identityHeaders, preset: location.headerPreset, block: block)
        return block
    }
}
