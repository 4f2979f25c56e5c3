// What a single-flight refresh of a session's provider tokens needs from a store: a lease per
// session, and a write that cannot put back tokens someone else has replaced.

/// A lease is held by one `owner` (a random string per refresh) for a time: `SET NX PX` in
/// Redis, a table under a lock in memory. It keeps every loop and instance but one from calling
/// the provider with the same (single-use) refresh token.
///
/// Calls and completions follow the store's own rules (`SessionStore`).
public protocol ProviderTokenStore: AnyObject, Sendable {
    /// Takes the session's refresh lease for `milliseconds` when nobody holds it. True when taken.
    func acquireRefreshLease(
        _ id: SessionID, owner: String, milliseconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void)
    /// Extends the lease for `milliseconds` from now while `owner` still holds it. True when it did.
    func renewRefreshLease(
        _ id: SessionID, owner: String, milliseconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void)
    /// Ends the lease if `owner` still holds it (compare and delete): a lease that ran out and
    /// was taken by another is left to that one.
    func releaseRefreshLease(_ id: SessionID, owner: String, completion: @escaping (Result<Void, StoreError>) -> Void)
    /// Replaces the session, with a new TTL, only while it exists and its `sealedTokens` are
    /// still `expectedTokens`: a refresh's write, and the idle touch of a session with tokens,
    /// so that a write made from an older read never brings back a used refresh token.
    func updateIfTokensUnchanged(
        _ id: SessionID, _ record: SessionRecord, expectedTokens: String?, ttlSeconds: Int,
        completion: @escaping (Result<Bool, StoreError>) -> Void)
}
