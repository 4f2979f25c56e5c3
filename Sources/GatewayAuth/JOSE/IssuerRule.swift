// Which `iss` an ID token may carry: one issuer, or a per-tenant template (Microsoft's `{tenantid}`).
import GatewayConfig

/// The issuer check of ID-token validation (Core §3.1.3.7 step 2).
///
/// Almost every provider has one issuer, and `iss` must equal it exactly. Microsoft's
/// multi-tenant endpoints (`common`, `organizations`, `consumers`) instead publish the template
/// `https://login.microsoftonline.com/{tenantid}/v2.0`, and each token names the user's own
/// tenant: in `tid`, and again in `iss`. Such a token is accepted only when `tid` is a GUID and
/// `iss` is exactly the template with that `tid` put in. It is never "any issuer": the host and
/// path around the tenant are fixed, and the two claims must agree.
public struct IssuerRule: Sendable, Hashable, CustomStringConvertible {
    /// The placeholder Microsoft writes in a multi-tenant discovery document's `issuer`.
    public static let tenantPlaceholder = "{tenantid}"

    private enum Base: Hashable {
        case exact(canonical: String, aliases: Set<String>)
        case tenantTemplate(prefix: String, suffix: String, only: Set<String>?, except: Set<String>)
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// `iss` must be `issuer`, or one of `aliases` (Google also signs as `accounts.google.com`).
    public static func exact(_ issuer: String, aliases: [String] = []) -> IssuerRule {
        IssuerRule(.exact(canonical: issuer, aliases: Set(aliases)))
    }

    /// `iss` must be `template` with `{tenantid}` replaced by the token's own `tid`, which must
    /// be a GUID; `only` (when given) lists the tenants allowed, and `except` those refused.
    /// Nil when `template` does not contain `{tenantid}` exactly once.
    public static func tenantTemplate(_ template: String, only: Set<String>? = nil, except: Set<String> = [])
        -> IssuerRule?
    {
        let parts = template.split(separator: tenantPlaceholder, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return IssuerRule(
            .tenantTemplate(prefix: String(parts[0]), suffix: String(parts[1]), only: only, except: except))
    }

    /// Throws `.missingClaim("iss")`, `.missingClaim("tid")` (absent, or not a GUID), or
    /// `.issuerMismatch` (including a tenant that this rule does not admit).
    public func check(_ claims: JWTClaims) throws(JWTError) {
        guard let iss = claims.issuer else { throw .missingClaim("iss") }
        switch base {
        case .exact(let canonical, let aliases):
            guard iss == canonical || aliases.contains(iss) else { throw .issuerMismatch }
        case .tenantTemplate(let prefix, let suffix, let only, let except):
            guard let tid = claims.string("tid"), Self.isGUID(tid) else { throw .missingClaim("tid") }
            guard iss == prefix + tid + suffix else { throw .issuerMismatch }
            let tenant = tid.lowercased()
            if let only, !only.contains(tenant) { throw .issuerMismatch }
            guard !except.contains(tenant) else { throw .issuerMismatch }
        }
    }

    /// `8-4-4-4-12` hexadecimal digits, as Microsoft writes tenant ids.
    public static func isGUID(_ text: String) -> Bool { MicrosoftTenant.isGUID(text) }

    public var description: String {
        switch base {
        case .exact(let canonical, let aliases):
            aliases.isEmpty ? canonical : canonical + " (or " + aliases.sorted().joined(separator: ", ") + ")"
        case .tenantTemplate(let prefix, let suffix, _, _): prefix + Self.tenantPlaceholder + suffix
        }
    }
}
