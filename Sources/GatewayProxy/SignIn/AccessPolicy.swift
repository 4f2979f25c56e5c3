// A location's `allow` rules against a signed-in user.
import GatewayConfig
import GatewaySessions

enum AccessPolicy {
    /// Any one rule admits; no rules admit every signed-in user.
    static func allows(_ rules: [AllowRule], _ session: SessionRecord) -> Bool {
        if rules.isEmpty { return true }
        let email = session.email?.lowercased()
        for rule in rules {
            switch rule {
            case .anyone: return true
            case .email(let address): if email == address { return true }
            case .emailDomain(let domain):
                if let email, let at = email.lastIndex(of: "@"), email[email.index(after: at)...] == domain { return true }
            case .provider(let name): if session.provider == name { return true }
            case .user(let id): if session.userID == id { return true }
            case .githubOrg(let org): if session.organizations.contains(org.lowercased()) { return true }
            }
        }
        return false
    }
}
