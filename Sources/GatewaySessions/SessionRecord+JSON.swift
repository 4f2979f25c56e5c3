// The session's stored form: compact JSON with the same keys as the synthesized Codable,
// written and read by hand because it is decoded on every authenticated request.

extension SessionRecord {
    /// `{"userID":"u_x","provider":"github",...}`; nil optionals are left out.
    public func encodedJSON() -> [UInt8] {
        var w = JSONWriter()
        w.begin()
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
        w.end()
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
    }
}

/// Appends compact JSON for flat objects of strings, integers, booleans and string arrays.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var first = true

    init() { bytes.reserveCapacity(256) }

    mutating func begin() { bytes.append(UInt8(ascii: "{")) }
    mutating func end() { bytes.append(UInt8(ascii: "}")) }

    mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func field(_ key: String, _ value: Int64) {
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func field(_ key: String, _ values: [String]) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func key(_ key: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func string(_ value: String) {
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        for c in value.utf8 {
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(c)
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(c >> 4)])
                bytes.append(hex[Int(c & 15)])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
