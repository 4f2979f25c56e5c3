// The JSON of GET /auth/me: the user, their identities and the session's expiry.
import GatewayConfig
import GatewayCore
import GatewaySessions

enum SessionJSON {
    static func me(record: SessionRecord, user: UserRecord?) -> String {
        func q(_ s: String?) -> String { s.map(JSONText.quoted) ?? "null" }
        var identities: [String] = []
        for identity in user?.identities ?? [] {
            identities.append(
                "{\"provider\":\(q(identity.provider)),\"subject\":\(q(identity.subject)),\"login\":\(q(identity.login)),"
                    + "\"email\":\(q(identity.email)),\"verified\":\(identity.emailVerified),\"linked_at\":\(identity.linkedAt)}")
        }
        return "{\"user_id\":\(q(record.userID)),\"email\":\(q(record.email)),"
            + "\"email_verified\":\(record.emailVerified),\"name\":\(q(record.name)),"
            + "\"login\":\(q(record.login)),\"provider\":\(q(record.provider)),"
            + "\"identities\":[\(identities.joined(separator: ","))],"
            + "\"session\":{\"created_at\":\(record.createdAt),\"expires_at\":\(record.expiresAt)}}\n"
    }
}
