// A location's `allow` rules against a signed-in user.
import GatewayConfig
import GatewaySessions

enum AccessPolicy {
    /// Any one rule admits; no rules admit every signed-in user. Email rules see only a
    /// verified email: anyone can type any address into a provider that does not check it.
    static func allows(_ rules: [AllowRule], _ session: SessionRecord) -> Bool {
        if rules.isEmpty { return true }
        // Normalised at sign-in already; folding A-Z again costs little and can never merge two
        // addresses the way Unicode case mapping can.
        let email = session.verifiedEmail.map(asciiLowercased)
        for rule in rules {
            switch rule {
            case .anyone: return true
            case .email(let address): if email == address { return true }
            case .emailDomain(let domain):
                if let email, let at = email.lastIndex(of: "@"), email[email.index(after: at)...] == domain {
                    return true
                }
            case .provider(let name): if session.provider == name { return true }
            case .user(let id): if session.userID == id { return true }
            case .githubOrg(let org): if session.organizations.contains(org.lowercased()) { return true }
            }
        }
        return false
    }

    /// Only A-Z change: Unicode case mapping could make two different addresses equal.
    static func asciiLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
