// The memory store's users and identities, with the same rules as the Redis scripts.

/// Plain state, mutated under `MemoryStore`'s lock; each method is one atomic step.
struct MemoryIdentityTable {
    private struct User {
        var email: String?
        var name: String?
        var createdAt: Int64
        var identities: Set<String>
    }

    private var users: [String: User] = [:]
    /// `provider:subject` → user id (`identity:{provider}:{subject}`).
    private var owners: [String: String] = [:]
    /// `provider:subject` → its details (`identity_info:{provider}:{subject}`).
    private var details: [String: LinkedIdentity] = [:]
    /// Lowercased verified email → user id (`email:{email}`).
    private var emails: [String: String] = [:]

    /// The user `provider:subject` is linked to.
    func owner(of identity: String) -> String? {
        guard let owner = owners[identity], users[owner] != nil else { return nil }
        return owner
    }

    mutating func signIn(_ claims: IdentityClaims, now: Int64, newID: String) -> SignInOutcome {
        let identity = claims.identity
        if let owner = owners[identity], users[owner] != nil {
            attach(claims, to: owner, now: now)
            return .existing(record(owner)!)
        }
        let emailKey = claims.verifiedEmailKey
        if let emailKey, let owner = emails[emailKey], users[owner] != nil {
            attach(claims, to: owner, now: now)
            return .linkedByEmail(record(owner)!)
        }
        users[newID] = User(
            email: emailKey == nil ? nil : claims.email, name: claims.name.nonEmpty, createdAt: now, identities: [])
        if let emailKey { emails[emailKey] = newID }
        attach(claims, to: newID, now: now)
        return .created(record(newID)!)
    }

    mutating func link(_ claims: IdentityClaims, to userID: String, now: Int64) -> Result<UserRecord, StoreError> {
        guard users[userID] != nil else { return .failure(StoreError.notFound.with(detail: "no such user")) }
        if let owner = owners[claims.identity], owner != userID, users[owner] != nil {
            return .failure(.conflict("identity \(claims.identity) is linked to another user"))
        }
        attach(claims, to: userID, now: now)
        if let emailKey = claims.verifiedEmailKey {
            if emails[emailKey].flatMap({ users[$0] }) == nil { emails[emailKey] = userID }
            if emails[emailKey] == userID, users[userID]!.email == nil { users[userID]!.email = claims.email }
        }
        return .success(record(userID)!)
    }

    mutating func unlink(provider: String, subject: String, from userID: String) -> Result<UserRecord, StoreError> {
        let identity = provider + ":" + subject
        guard users[userID] != nil, owners[identity] == userID else {
            return .failure(StoreError.notFound.with(detail: "the user has no identity \(identity)"))
        }
        guard users[userID]!.identities.count > 1 else {
            return .failure(.conflict("cannot remove the last identity of a user"))
        }
        owners.removeValue(forKey: identity)
        details.removeValue(forKey: identity)
        users[userID]!.identities.remove(identity)
        return .success(record(userID)!)
    }

    func record(_ userID: String) -> UserRecord? {
        guard let user = users[userID] else { return nil }
        let linked = user.identities.compactMap { details[$0] }.sortedForRecord()
        return UserRecord(id: userID, email: user.email, name: user.name, createdAt: user.createdAt, identities: linked)
    }

    /// Links the identity to `userID`, or refreshes its details when it already is (keeping
    /// the first `linkedAt`).
    private mutating func attach(_ claims: IdentityClaims, to userID: String, now: Int64) {
        let identity = claims.identity
        let linkedAt = owners[identity] == userID ? details[identity]?.linkedAt ?? now : now
        owners[identity] = userID
        users[userID]!.identities.insert(identity)
        details[identity] = LinkedIdentity(
            provider: claims.provider, subject: claims.subject, login: claims.login.nonEmpty,
            email: claims.email.nonEmpty, emailVerified: claims.emailVerified, linkedAt: linkedAt)
    }
}

extension Optional where Wrapped == String {
    /// Nil for nil or "": both stores keep no empty strings.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
