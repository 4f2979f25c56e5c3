// The session's stored form: compact JSON with the same keys as the synthesized Codable,
// written and read by hand because it is decoded on every authenticated request.
import GatewayJSON

extension SessionRecord {
    /// `{"userID":"u_x","provider":"github",...}`; nil optionals are left out.
    public func encodedJSON() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("userID", userID)
        w.field("provider", provider)
        w.field("subject", subject)
        if let login { w.field("login", login) }
        if let email { w.field("email", email) }
        if emailVerified { w.field("emailVerified", true) }
        if let name { w.field("name", name) }
        w.field("identities", identities)
        w.field("createdAt", createdAt)
        w.field("expiresAt", expiresAt)
        w.field("lastSeenAt", lastSeenAt)
        if !organizations.isEmpty { w.field("organizations", organizations) }
        if let sid { w.field("sid", sid) }
        w.endObject()
        return w.bytes
    }

    /// Reads what `encodedJSON()` (or `JSONEncoder`) wrote; unknown keys are skipped so that
    /// newer records stay readable. Nil when required fields are missing or the JSON is bad.
    public init?(json: [UInt8]) {
        var r = JSONReader(json)
        var userID: String?
        var provider: String?
        var subject: String?
        var login: String?
        var email: String?
        var emailVerified: Bool?
        var name: String?
        var identities: [String]?
        var createdAt: Int64?
        var expiresAt: Int64?
        var lastSeenAt: Int64?
        var organizations: [String]?
        var sid: String?
        let ok = r.readObject { key, r in
            switch key {
            case "userID": return r.readString(into: &userID)
            case "provider": return r.readString(into: &provider)
            case "subject": return r.readString(into: &subject)
            case "login": return r.readOptionalString(into: &login)
            case "email": return r.readOptionalString(into: &email)
            case "emailVerified": return r.readBool(into: &emailVerified)
            case "name": return r.readOptionalString(into: &name)
            case "identities": return r.readStringArray(into: &identities)
            case "createdAt": return r.readInteger(into: &createdAt)
            case "expiresAt": return r.readInteger(into: &expiresAt)
            case "lastSeenAt": return r.readInteger(into: &lastSeenAt)
            case "organizations": return r.readStringArray(into: &organizations)
            case "sid": return r.readOptionalString(into: &sid)
            default: return r.skipValue()
            }
        }
        guard ok, r.atEnd, let userID, let provider, let subject, let identities, let createdAt, let expiresAt,
            let lastSeenAt
        else { return nil }
        self.init(
            userID: userID, provider: provider, subject: subject, login: login, email: email, name: name,
            identities: identities, createdAt: createdAt, expiresAt: expiresAt, lastSeenAt: lastSeenAt)
        self.organizations = organizations ?? []
        self.emailVerified = emailVerified ?? false
        self.sid = sid
    }
}
