// Reads an identity out of a userinfo document, by the block's `claim_id`, `claim_email`, `claim_name`.
import GatewayConfig

/// Which members of a userinfo document hold the id, email and name. A name with dots
/// (`data.id`) also reaches into nested objects, for APIs that wrap the user (`{"data": {...}}`);
/// a member whose own name has a dot is found first.
public struct OAuth2ClaimMapping: Sendable, Hashable {
    /// `claim_id`; nil reads `id`, then `sub`.
    public var id: String?
    /// `claim_email`, default `email`.
    public var email: String
    /// `claim_name`, default `name`.
    public var name: String

    public init(id: String? = nil, email: String = "email", name: String = "name") {
        self.id = id
        self.email = email
        self.name = name
    }

    /// The block's `claim_id`, `claim_email` and `claim_name`.
    public init(_ names: ClaimNames) {
        self.init(id: names.id, email: names.email, name: names.name)
    }

    /// The identity in `userinfo`. Numeric ids become decimal strings. The email counts as
    /// verified only if `email_verified` (beside it) is `true` or `"true"`: a provider that does
    /// not say has not vouched for it, and an unverified email never links accounts.
    public func identity(from userinfo: JSONValue, provider: String) -> Result<VerifiedIdentity, AuthError> {
        guard case .object = userinfo else { return .failure(.userinfoFailed("response is not a JSON object")) }
        let idKeys = id.map { [$0] } ?? ["id", "sub"]
        guard let idKey = idKeys.first(where: { Self.string(Self.lookup(userinfo, $0)) != nil }),
            let subject = Self.string(Self.lookup(userinfo, idKey))
        else {
            return .failure(.userinfoFailed("no \"\(idKeys.joined(separator: "\" or \""))\" member"))
        }
        let email = Self.lookup(userinfo, self.email)?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let verified: Bool
        switch Self.lookup(userinfo, Self.sibling(of: self.email, named: "email_verified")) {
        case .bool(let b)?: verified = b
        case .string(let s)?: verified = s == "true"
        default: verified = false
        }
        let login = ["preferred_username", "login", "username"].lazy
            .compactMap { Self.lookup(userinfo, Self.sibling(of: idKey, named: $0))?.stringValue }.first
        return .success(
            VerifiedIdentity(
                provider: provider, subject: subject, email: email, emailVerified: email != nil && verified,
                login: login, name: Self.lookup(userinfo, name)?.stringValue))
    }

    /// The member `key`, or, when there is none, the dotted path `key` names.
    static func lookup(_ json: JSONValue, _ key: String) -> JSONValue? {
        if let direct = json[key] { return direct }
        guard key.contains(".") else { return nil }
        var current: JSONValue? = json
        for part in key.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?[String(part)]
        }
        return current
    }

    /// A non-empty string, or an integral number written in decimal (GitHub's numeric ids).
    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)? where !s.isEmpty: return s
        case .number(let n)? where n == n.rounded() && abs(n) < 9_007_199_254_740_992: return String(Int64(n))
        default: return nil
        }
    }

    /// `data.email` → `data.email_verified`: a flag is read from the object its value is in.
    static func sibling(of key: String, named name: String) -> String {
        guard let dot = key.lastIndex(of: ".") else { return name }
        return key[...dot] + name
    }
}
