// Reads the groups and the claims a location's rules compare out of an ID token or a userinfo document.
import GatewayConfig

/// What a provider keeps beyond the profile for `allow group` and `allow claim`. Names may
/// be dotted paths into nested objects (`realm_access.roles`), as `claim_id` may.
///
/// The groups claim is kept whenever the provider sends it, so a `deny group` that a reload
/// adds later also sees sessions signed in before it; `readsGroups` (some location needs
/// them) only makes a missing one worth a userinfo call. Other claims are kept only when a
/// rule names them (`kept`).
///
/// A value in text: a string is one value, a boolean `true`/`false`, an integral number its
/// decimal digits, any other number its JSON form; an array gives each such element. Objects
/// and nulls give nothing. Nothing is cut: a `deny group` must see every group.
public struct RuleClaimReader: Sendable, Hashable {
    /// `claim_groups`, default `groups`.
    public var groupsClaim: String
    public var readsGroups: Bool
    /// Claim names some rule compares, sorted.
    public var kept: [String]

    public init(groupsClaim: String = ClaimNames.defaultGroups, readsGroups: Bool = false, kept: [String] = []) {
        self.groupsClaim = groupsClaim
        self.readsGroups = readsGroups
        self.kept = kept
    }

    public init(_ names: ClaimNames) {
        self.init(groupsClaim: names.groups, readsGroups: names.readsGroups, kept: names.kept)
    }

    /// Every claim a userinfo call should fill in when the ID token lacks it.
    var names: [String] { (readsGroups ? [groupsClaim] : []) + kept }

    /// Whether `document` lacks a claim this reader needs (so a userinfo call could add it).
    public func misses(_ document: JSONValue) -> Bool {
        names.contains { OAuth2ClaimMapping.lookup(document, $0) == nil }
    }

    /// Sets the identity's groups and claims from `primary`, and from `fallback` for each claim
    /// `primary` does not have (an ID token first, then userinfo).
    public func read(_ primary: JSONValue, fallback: JSONValue? = nil, into identity: inout VerifiedIdentity) {
        func values(_ name: String) -> [String]? {
            let value =
                OAuth2ClaimMapping.lookup(primary, name) ?? fallback.flatMap { OAuth2ClaimMapping.lookup($0, name) }
            return value.map(Self.texts)
        }
        identity.groups = values(groupsClaim) ?? []
        var claims: [String: [String]] = [:]
        for name in kept {
            if let found = values(name), !found.isEmpty { claims[name] = found }
        }
        identity.claims = claims
    }

    /// A claim's values in text (see the type's documentation).
    static func texts(_ value: JSONValue) -> [String] {
        if case .array(let items) = value { return items.compactMap(text) }
        return text(value).map { [$0] } ?? []
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n) where n == n.rounded() && abs(n) < 9_007_199_254_740_992: return String(Int64(n))
        case .number: return value.serialized
        case .null, .array, .object: return nil
        }
    }
}
