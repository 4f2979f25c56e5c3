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
        if let sealedTokens { w.field("sealedTokens", sealedTokens) }
        if let tokenExpiresAt { w.field("tokenExpiresAt", tokenExpiresAt) }
        if let clientAddress { w.field("clientAddress", clientAddress) }
        if let sealedIDToken { w.field("sealedIDToken", sealedIDToken) }
        if !groups.isEmpty { w.field("groups", groups) }
        if !teams.isEmpty { w.field("teams", teams) }
        if !claims.isEmpty {
            w.key("claims")
            w.beginObject()
            for name in claims.keys.sorted() { w.field(name, claims[name]!) }
            w.endObject()
        }
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
        var sealedTokens: String?
        var tokenExpiresAt: Int64?
        var clientAddress: String?
        var sealedIDToken: String?
        var groups: [String]?
        var teams: [String]?
        var claims: [String: [String]]?
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
            case "sealedTokens": return r.readOptionalString(into: &sealedTokens)
            case "tokenExpiresAt": return r.readInteger(into: &tokenExpiresAt)
            case "clientAddress": return r.readOptionalString(into: &clientAddress)
            case "sealedIDToken": return r.readOptionalString(into: &sealedIDToken)
            case "groups": return r.readStringArray(into: &groups)
            case "teams": return r.readStringArray(into: &teams)
            case "claims": return Self.readClaims(&r, into: &claims)
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
        self.groups = groups ?? []
        self.teams = teams ?? []
        self.claims = claims ?? [:]
        self.emailVerified = emailVerified ?? false
        self.sealedTokens = sealedTokens
        self.tokenExpiresAt = tokenExpiresAt
        self.clientAddress = clientAddress
        self.sealedIDToken = sealedIDToken
        self.sid = sid
    }

    /// `{"NAME":["value",...],...}`
    private static func readClaims(_ r: inout JSONReader, into out: inout [String: [String]]?) -> Bool {
        var claims: [String: [String]] = [:]
        let ok = r.readObject { name, r in
            var values: [String]?
            guard r.readStringArray(into: &values), let values else { return false }
            claims[name] = values
            return true
        }
        if ok { out = claims }
        return ok
    }
}
