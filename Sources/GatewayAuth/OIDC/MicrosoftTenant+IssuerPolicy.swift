// The issuer rule each kind of Microsoft tenant (GatewayConfig's `MicrosoftTenant`) needs.
import GatewayConfig

/// Which Microsoft Entra ID accounts may sign in, and how their issuer is checked. Discovery is
/// at `{base}/{tenant}/v2.0`; `base` is `https://login.microsoftonline.com` unless the block's
/// `issuer` option replaces it (tests, national clouds).
///
/// - `common`, `organizations`, `consumers`: multi-tenant. The discovery document names the
///   template `{base}/{tenantid}/v2.0` and nothing else. Each ID token must carry a GUID `tid`,
///   and its `iss` must be exactly the template with that `tid` put in. A token whose `iss`
///   names another tenant than its `tid`, or without a `tid`, is refused. `organizations` also
///   refuses the personal-accounts tenant, and `consumers` admits only that tenant. For
///   `consumers`, Microsoft's document may name that tenant's own issuer instead of the
///   template. Both are accepted, and the token rule is the same.
/// - a tenant id (GUID): single-tenant. The document and every token must name exactly
///   `{base}/{id}/v2.0`.
/// - a domain (`contoso.onmicrosoft.com`): single-tenant. Microsoft resolves the name, and its
///   document names the tenant's id, `{base}/{GUID}/v2.0`, which cannot be known beforehand. The
///   document must name that form, and every token must then name exactly what it named.
extension MicrosoftTenant {
    /// The tenant of every personal Microsoft account (outlook.com, hotmail.com, ...).
    public static let personalAccountsTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

    /// The issuer policy of this tenant at `base` (trailing slashes are ignored).
    public func issuerPolicy(base: String) -> OIDCIssuerPolicy {
        var root = Substring(base)
        while root.hasSuffix("/") { root = root.dropLast() }
        let prefix = String(root) + "/"
        let suffix = "/v2.0"
        let location = prefix + pathSegment + suffix
        let template = prefix + IssuerRule.tenantPlaceholder + suffix
        let personal = Self.personalAccountsTenantID
        switch self {
        case .common:
            return .advertised([template], at: location, tokens: .tenantTemplate(template)!)
        case .organizations:
            return .advertised([template], at: location, tokens: .tenantTemplate(template, except: [personal])!)
        case .consumers:
            return .advertised(
                [template, prefix + personal + suffix], at: location,
                tokens: .tenantTemplate(template, only: [personal])!)
        case .id:
            return .exact(location)
        case .domain:
            return .tenantID(prefix: prefix, suffix: suffix, at: location)
        }
    }
}
