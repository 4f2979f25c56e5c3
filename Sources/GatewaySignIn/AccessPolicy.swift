// A location's compiled `deny` and `allow` rules against a signed-in user.
import GatewayConfig
import GatewaySessions

enum AccessPolicy {
    /// A matching `deny` refuses; then any matching `allow` admits; no `allow` admits every
    /// signed-in user. Email rules see only a verified email: anyone can type any address into
    /// a provider that does not check it. Allocates nothing for sessions written by sign-in.
    static func admits(_ rules: AccessRules, _ session: SessionRecord) -> Bool {
        if !rules.deny.isEmpty && matches(rules.deny, session) { return false }
        return rules.allow.isEmpty || matches(rules.allow, session)
    }

    /// Whether any one rule of `set` matches.
    static func matches(_ set: AccessRules.RuleSet, _ session: SessionRecord) -> Bool {
        if set.anyone { return true }
        if !set.providers.isEmpty && set.providers.contains(session.provider) { return true }
        if !set.users.isEmpty && set.users.contains(session.userID) { return true }
        if !set.emails.isEmpty || !set.emailDomains.isEmpty, let email = session.verifiedEmail {
            // Normalised at sign-in already; folding A-Z again (only when needed) can never merge
            // two addresses the way Unicode case mapping can.
            let folded =
                email.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? AccessRules.RuleSet.asciiLowercased(email) : email
            if set.emails.contains(folded) { return true }
            if let at = folded.utf8.lastIndex(of: UInt8(ascii: "@")),
                set.emailDomains.contains(folded[folded.utf8.index(after: at)...])
            {
                return true
            }
        }
        if anyOf(session.organizations, in: set.organizations) { return true }
        if anyOf(session.groups, in: set.groups) { return true }
        if anyOf(session.teams, in: set.teams) { return true }
        for (name, accepted) in set.claims {
            if let values = session.claims[name], anyOf(values, in: accepted) { return true }
        }
        return false
    }

    private static func anyOf(_ values: [String], in accepted: Set<String>) -> Bool {
        guard !accepted.isEmpty else { return false }
        for value in values where accepted.contains(value) { return true }
        return false
    }
}
