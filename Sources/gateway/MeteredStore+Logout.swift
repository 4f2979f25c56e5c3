// The metered store's back-channel logout and bearer-identity calls.
import GatewaySessions

extension MeteredStore {
    func deleteSessions(provider: String, sid: String, completion: @escaping (Result<Int, StoreError>) -> Void) {
        sessions.deleteSessions(provider: provider, sid: sid, completion: timed(.deleteSID, completion))
    }

    func claimOnce(_ key: String, ttlSeconds: Int, completion: @escaping (Result<Bool, StoreError>) -> Void) {
        sessions.claimOnce(key, ttlSeconds: ttlSeconds, completion: timed(.claimOnce, completion))
    }

    func user(provider: String, subject: String, completion: @escaping (Result<UserRecord?, StoreError>) -> Void) {
        identities.user(provider: provider, subject: subject, completion: timed(.userByIdentity, completion))
    }
}
