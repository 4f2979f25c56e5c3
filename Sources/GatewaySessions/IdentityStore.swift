// Users and their linked identities: first sign-in, explicit linking and unlinking.

/// One user has many identities (`provider:subject`). Every call is atomic.
/// `MemoryStore` runs completions synchronously on the caller's thread; `RedisStore` runs
/// them on its connection's queue (and must be called there).
public protocol IdentityStore: AnyObject, Sendable {
    /// First sign-in logic, atomic: the identity's user if it is known (its details are
    /// refreshed); else the user who owns the *verified* email (the identity is linked); else
    /// a new user, who claims `email:{lowercased}` when the email is verified. An unverified
    /// email never links, and never becomes the user's email.
    func signIn(_ claims: IdentityClaims, completion: @escaping (Result<SignInOutcome, StoreError>) -> Void)
    /// Links the identity to `userID` (`?link=1`). `.notFound` for an unknown user;
    /// `.conflict` when the identity belongs to someone else, changing nothing. Linking one the
    /// user already has refreshes its details. A verified email nobody owns yet is claimed.
    func link(
        _ claims: IdentityClaims, to userID: String, completion: @escaping (Result<UserRecord, StoreError>) -> Void)
    /// Removes an identity from its user: `.notFound` when the user does not have it,
    /// `.conflict` when it is the user's last one. The user keeps any email claim.
    func unlink(
        provider: String, subject: String, from userID: String,
        completion: @escaping (Result<UserRecord, StoreError>) -> Void)
    /// The user, or nil.
    func user(_ id: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void)
    /// The user that `provider:subject` is linked to, or nil; one round trip.
    func user(provider: String, subject: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void)
}
