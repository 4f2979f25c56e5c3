// Where an issuer's discovery document lives, and which issuer it and each ID token must name.

/// The issuer side of an OIDC provider: Discovery §4.3 (the document must be for the issuer we
/// asked about, or another issuer could mint our tokens) and Core §3.1.3.7 step 2 (each ID
/// token's `iss`). Nearly every provider is `exact`; Microsoft's tenants need the other forms.
public struct OIDCIssuerPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Discovery fetches `{location}/.well-known/openid-configuration`.
    public let location: String
    private let base: Base

    private enum Base: Hashable {
        /// The document names `location`; tokens name it, or one of the aliases.
        case exact(aliases: [String])
        /// The document names one of `advertised` (for example a `{tenantid}` template);
        /// tokens are held to `tokens`.
        case advertised([String], tokens: IssuerRule)
        /// The document names `prefix` + a GUID + `suffix` (a tenant given by domain name
        /// resolves to its id); tokens must then name exactly what the document named.
        case tenantID(prefix: String, suffix: String)
    }

    private init(location: String, base: Base) {
        self.location = location
        self.base = base
    }

    /// The usual rule: the document and every token name `issuer`. Tokens may also use one of
    /// `aliases`; the document may not.
    public static func exact(_ issuer: String, aliases: [String] = []) -> OIDCIssuerPolicy {
        OIDCIssuerPolicy(location: issuer, base: .exact(aliases: aliases))
    }

    /// Discovery at `location`, whose document must name one of `issuers`; tokens follow `tokens`.
    public static func advertised(_ issuers: [String], at location: String, tokens: IssuerRule) -> OIDCIssuerPolicy {
        OIDCIssuerPolicy(location: location, base: .advertised(issuers, tokens: tokens))
    }

    /// Discovery at `location`, whose document must name `prefix` + a tenant GUID + `suffix`;
    /// every token must then name exactly that issuer.
    public static func tenantID(prefix: String, suffix: String, at location: String) -> OIDCIssuerPolicy {
        OIDCIssuerPolicy(location: location, base: .tenantID(prefix: prefix, suffix: suffix))
    }

    /// Nil when a discovery document naming `advertised` may be used; otherwise why not, as a
    /// phrase for logs.
    public func discoveryProblem(advertised: String) -> String? {
        let shown = "\"issuer\" is \"\(advertised.prefix(200))\""
        switch base {
        case .exact:
            return advertised == location ? nil : shown + ", not the configured \"\(location)\""
        case .advertised(let issuers, _):
            guard !issuers.contains(advertised) else { return nil }
            return shown + ", not " + issuers.map { "\"\($0)\"" }.joined(separator: " or ")
        case .tenantID(let prefix, let suffix):
            let bytes = Array(advertised.utf8)
            let head = Array(prefix.utf8)
            let tail = Array(suffix.utf8)
            if bytes.count == head.count + 36 + tail.count, bytes.starts(with: head),
                bytes.suffix(tail.count) == tail[...],
                IssuerRule.isGUID(String(decoding: bytes[head.count..<head.count + 36], as: UTF8.self))
            {
                return nil
            }
            return shown + ", not \"\(prefix)\(IssuerRule.tenantPlaceholder)\(suffix)\" with a tenant id"
        }
    }

    /// What ID tokens must name, once discovery accepted a document naming `discoveredIssuer`.
    public func tokenRule(discoveredIssuer: String) -> IssuerRule {
        switch base {
        case .exact(let aliases): .exact(location, aliases: aliases)
        case .advertised(_, let tokens): tokens
        case .tenantID: .exact(discoveredIssuer)
        }
    }

    public var description: String {
        switch base {
        case .exact: location
        case .advertised(let issuers, _): issuers.joined(separator: " or ")
        case .tenantID(let prefix, let suffix): prefix + IssuerRule.tenantPlaceholder + suffix
        }
    }
}
