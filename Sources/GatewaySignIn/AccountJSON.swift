// The account page as JSON (`Accept: application/json`): the same view, for scripts and tests.
import GatewayJSON

enum AccountJSON {
    static func render(_ view: AccountView) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("user_id", view.userID)
        w.field("email", view.email)
        w.key("identities")
        w.beginArray()
        for identity in view.identities {
            w.beginObject()
            SessionJSON.fields(of: identity.linked, into: &w)
            w.field("display_name", identity.displayName)
            w.field("can_unlink", identity.canUnlink)
            w.field("unlink", identity.unlinkAction)
            w.endObject()
        }
        w.endArray()
        w.key("linkable")
        w.beginArray()
        for provider in view.linkable {
            w.beginObject()
            w.field("provider", provider.provider)
            w.field("display_name", provider.displayName)
            w.field("link", provider.href)
            w.endObject()
        }
        w.endArray()
        w.key("sessions")
        w.beginArray()
        for session in view.sessions {
            w.beginObject()
            w.field("id", session.handle)
            w.field("provider", session.provider)
            w.field("created_at", session.createdAt)
            w.field("last_seen_at", session.lastSeenAt)
            w.field("expires_at", session.expiresAt)
            w.field("client_address", session.clientAddress)
            w.field("current", session.isCurrent)
            w.field("sign_out", session.signOutAction)
            w.endObject()
        }
        w.endArray()
        w.field("sign_out_others", view.signOutOthersAction)
        w.endObject()
        return w.text + "\n"
    }
}
