// The JSON of GET /auth/me: the user, their identities and the session's expiry.
import GatewayConfig
import GatewayCore
import GatewayJSON
import GatewaySessions

enum SessionJSON {
    static func me(record: SessionRecord, user: UserRecord?) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("user_id", record.userID)
        w.field("email", record.email)
        w.field("email_verified", record.emailVerified)
        w.field("name", record.name)
        w.field("login", record.login)
        w.field("provider", record.provider)
        w.key("identities")
        w.beginArray()
        for identity in user?.identities ?? [] {
            w.beginObject()
            fields(of: identity, into: &w)
            w.endObject()
        }
        w.endArray()
        w.key("session")
        w.beginObject()
        w.field("created_at", record.createdAt)
        w.field("expires_at", record.expiresAt)
        w.endObject()
        w.endObject()
        return w.text + "\n"
    }

    /// An identity's members, shared by `/auth/me` and the account page's JSON.
    static func fields(of identity: LinkedIdentity, into w: inout JSONWriter) {
        w.field("provider", identity.provider)
        w.field("subject", identity.subject)
        w.field("login", identity.login)
        w.field("email", identity.email)
        w.field("verified", identity.emailVerified)
        w.field("linked_at", identity.linkedAt)
    }
}
