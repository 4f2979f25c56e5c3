// The OpenID Connect presets: Google, GitLab and Microsoft on top of the generic OIDC provider.
import GatewayConfig

/// What a preset changes in `OIDCProvider`: where its issuer is and how the issuer is
/// checked, which claim gives the login, and which emails count as verified. Everything else is
/// the generic provider (discovery, PKCE, nonce, signature and claim checks, userinfo), and the
/// block takes the generic options (`client_id`, `client_secret`, `scopes`, `token_auth`,
/// `claim_id`, `claim_email`, `claim_name`). Scopes default to `openid email profile`.
///
/// - `google`: issuer `https://accounts.google.com`. Only an explicit `issuer` option (for tests)
///   replaces it. Google documents both `https://accounts.google.com` and `accounts.google.com`
///   as the `iss` of its ID tokens, so both are accepted, and only for Google's real issuer.
///   The email is verified when `email_verified` is true. The Workspace domain `hd` is
///   recorded in `VerifiedIdentity.hostedDomain`.
/// - `gitlab`: issuer `https://gitlab.com`, or `issuer` for a self-hosted GitLab (its external
///   URL, exactly as its discovery document names it). Login from `nickname`, else
///   `preferred_username`. The email is verified when `email_verified` is true. GitLab sets that
///   flag for a confirmed address.
/// - `microsoft`: the `tenant` option, and `issuer` to replace the login host
///   (`MicrosoftSettings`). See `MicrosoftTenant` for the issuer rules and
///   `OIDCPreset.microsoftEmailVerified` for emails.
public enum OIDCPreset: String, Sendable, Hashable, CaseIterable {
    case google
    case gitlab
    case microsoft

    /// Google's other spelling of its issuer in ID tokens (Google's "Validate an ID token").
    public static let googleIssuerAlias = "accounts.google.com"

    /// The preset a provider type stands for; nil for `oidc` and the non-OIDC types.
    public init?(_ type: ProviderType) {
        switch type {
        case .google: self = .google
        case .gitlab: self = .gitlab
        case .microsoft: self = .microsoft
        case .github, .facebook, .twitter, .oidc, .oauth2: return nil
        }
    }

    /// Which issuer Google's or GitLab's discovery document and tokens must name. Microsoft's
    /// rule depends on its tenant (`MicrosoftTenant.issuerPolicy(base:)`).
    public func issuerPolicy(issuer: String) -> OIDCIssuerPolicy {
        switch self {
        case .google:
            return .exact(issuer, aliases: issuer == OIDCSettings.googleIssuer ? [Self.googleIssuerAlias] : [])
        case .gitlab, .microsoft:
            return .exact(issuer)
        }
    }

    /// The claims that may carry the display login, in order of preference.
    public var loginClaims: [String] {
        switch self {
        case .gitlab: ["nickname", "preferred_username"]
        case .google, .microsoft: ["preferred_username"]
        }
    }

    /// Whether the email read from `claims` counts as verified. `fromIDToken` is false for
    /// an email that came from userinfo.
    public func emailVerified(in claims: JWTClaims, fromIDToken: Bool) -> Bool {
        switch self {
        case .google, .gitlab: claims.emailVerified
        case .microsoft: fromIDToken && Self.microsoftEmailVerified(claims)
        }
    }

    /// Microsoft's rule. Entra ID sends no `email_verified`, and its `email` is, in general, an
    /// attribute that a tenant's admin (or the user) can set to any address. Trusting it would
    /// allow an account takeover by linking ("nOAuth"). So a Microsoft email is unverified unless
    /// the ID token carries the optional claim `xms_edov` ("email domain owner verified") set to
    /// true. Microsoft sets it only when the user's tenant owns the email's domain and
    /// the tenant admin has verified the domain, or when the address is a Microsoft account's,
    /// a Google account's, or one proven by a one-time passcode. An `email_verified` claim is
    /// ignored: a tenant's claims-mapping policy can emit it with any value. Userinfo emails are
    /// never verified, because userinfo carries no `xms_edov`. `xms_edov` must be enabled as an
    /// optional ID-token claim, together with `email`, in the app registration. Without it,
    /// Microsoft identities never link to an existing user by email.
    public static func microsoftEmailVerified(_ claims: JWTClaims) -> Bool {
        // Documented as a boolean; some tenants have been seen sending "true" or 1.
        switch claims["xms_edov"] {
        case .bool(let value)?: value
        case .string(let value)?: value == "true" || value == "1"
        case .number(let value)?: value == 1
        default: false
        }
    }
}
