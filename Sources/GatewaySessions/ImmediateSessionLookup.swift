// A store that may hold a session at hand: its answer then needs no completion.

/// Implemented by the stores whose `load` can answer on the caller's stack: the local session
/// cache (`CachedSessionStore`) and the memory store. The request gate asks it first, and only
/// when it has no answer takes the general path with its completion closures.
public protocol ImmediateSessionLookup: AnyObject {
    /// What `load(id)` would answer now when that is a live record at hand; nil when only `load`
    /// can tell (not cached, missing, ended), in which case the caller goes on to `load`.
    func immediateRecord(_ id: SessionID) -> SessionRecord?
}
