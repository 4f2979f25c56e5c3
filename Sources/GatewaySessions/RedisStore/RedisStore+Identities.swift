// The identity half of `RedisStore`: each call is one Lua script, one round trip.

extension RedisStore {
    public func signIn(_ claims: IdentityClaims, completion: @escaping (Result<SignInOutcome, StoreError>) -> Void) {
        let args = [
            claims.identity, claims.verifiedEmailKey ?? "", claims.login ?? "", claims.email ?? "",
            claims.emailVerified ? "1" : "0", claims.name ?? "", String(clock.unixSeconds()), UserRecord.newID(),
        ]
        graph(.signIn, key: "identity:" + claims.identity, args) { result in
            completion(
                result.flatMap(Self.parseUser).flatMap { kind, user in
                    switch kind {
                    case "existing": return .success(.existing(user))
                    case "linked": return .success(.linkedByEmail(user))
                    case "created": return .success(.created(user))
                    default: return .failure(StoreError.corrupt.with(detail: "unknown sign-in outcome \(kind)"))
                    }
                })
        }
    }

    public func link(
        _ claims: IdentityClaims, to userID: String, completion: @escaping (Result<UserRecord, StoreError>) -> Void
    ) {
        let args = [
            claims.identity, claims.verifiedEmailKey ?? "", claims.login ?? "", claims.email ?? "",
            claims.emailVerified ? "1" : "0", String(clock.unixSeconds()), userID,
        ]
        graph(.link, key: "identity:" + claims.identity, args) { result in
            completion(result.flatMap(Self.parseUser).map(\.user))
        }
    }

    public func unlink(
        provider: String, subject: String, from userID: String,
        completion: @escaping (Result<UserRecord, StoreError>) -> Void
    ) {
        graph(.unlink, key: "identity:" + provider + ":" + subject, [provider + ":" + subject, userID]) { result in
            completion(result.flatMap(Self.parseUser).map(\.user))
        }
    }

    public func user(_ id: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void) {
        graph(.user, key: "user:" + id, [id]) { result in
            switch result.flatMap(Self.parseUser) {
            case .success(let parsed): completion(.success(parsed.user))
            case .failure(let error) where error.isNotFound: completion(.success(nil))
            case .failure(let error): completion(.failure(error))
            }
        }
    }

    /// An identity script: ARGV[1] is the graph prefix, and KEYS[1] the graph key `key` (after
    /// that prefix) that the script touches: on a cluster it names the `{users}` slot.
    func graph(
        _ script: RedisScript, key: String, _ args: [String],
        completion: @escaping (Result<RedisValue, StoreError>) -> Void
    ) {
        run(script, keys: [graphPrefix + key], args, prefix: graphPrefix, completion: completion)
    }

    /// Reads a script's reply (layout in `RedisScript.swift`) into its kind and the user.
    static func parseUser(_ value: RedisValue) -> Result<(kind: String, user: UserRecord), StoreError> {
        guard case .array(let items) = value, let kind = items.first?.text else {
            return .failure(unexpected(value))
        }
        let fields = items.map { $0.text ?? "" }
        switch kind {
        case "notfound": return .failure(StoreError.notFound.with(detail: fields.count > 1 ? fields[1] : ""))
        case "conflict": return .failure(.conflict(fields.count > 1 ? fields[1] : ""))
        default: break
        }
        guard fields.count >= 5, (fields.count - 5) % 5 == 0, let createdAt = Int64(fields[4]) else {
            return .failure(unexpected(value))
        }
        var identities: [LinkedIdentity] = []
        var i = 5
        while i < fields.count {
            let name = fields[i]
            guard let colon = name.firstIndex(of: ":"), let linkedAt = Int64(fields[i + 4]) else {
                return .failure(unexpected(value))
            }
            identities.append(
                LinkedIdentity(
                    provider: String(name[..<colon]), subject: String(name[name.index(after: colon)...]),
                    login: Optional(fields[i + 1]).nonEmpty, email: Optional(fields[i + 2]).nonEmpty,
                    emailVerified: fields[i + 3] == "1", linkedAt: linkedAt))
            i += 5
        }
        let user = UserRecord(
            id: fields[1], email: Optional(fields[2]).nonEmpty, name: Optional(fields[3]).nonEmpty,
            createdAt: createdAt, identities: identities.sortedForRecord())
        return .success((kind, user))
    }
}
